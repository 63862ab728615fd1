package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection limits: a flood of idle sockets cannot lock honest clients out, and a full daemon says no. */
class ConnectionLimitsTest {
  /** Whether the daemon closed {@code s}: its Hello, then EOF, within the socket's timeout. */
  private static boolean closedByDaemon(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // the Hello frame, then nothing
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void idleSocketsBeyondMaxUnauthenticated_closeOldestFirst_honestClientsGetIn() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (TestDaemon daemon = new TestDaemon(b -> b.maxUnauthenticated(20).handshakeTimeout(Duration.ofMinutes(1)))) {
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket(daemon.server.address().getAddress(), daemon.server.address().getPort());
        s.setSoTimeout(3_000);
        idle.add(s);
      }
      try (Manager honest = daemon.connect()) { // connects while 300 sockets sit idle
        honest.dict("d").put("k", "v");
        assertEquals("v", honest.dict("d").get("k"));
      }
      for (Socket s : idle.subList(0, 250)) { // the oldest were closed to make room
        assertTrue(closedByDaemon(s), "an old idle socket was closed");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server.limits().unauthenticated() <= 20);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void beyondMaxConnections_aNewClientIsRefused_untilOneLeaves() {
    try (TestDaemon daemon = new TestDaemon(b -> b.maxConnections(3))) {
      List<Manager> three = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        three.add(daemon.connect());
      }
      assertThrows(ConnectionLostException.class, daemon::connect);
      three.get(0).close();
      await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server.limits().open() < 3);
      try (Manager fourth = daemon.connect()) {
        assertTrue(fourth.isConnected());
        assertEquals(0, fourth.dict("d").size());
      }
      assertTrue(three.get(1).isConnected() && three.get(2).isConnected(), "the others were not disturbed");
    }
  }
}
