package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jmanager.common.Authkeys;
import io.jmanager.wire.Message;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Connection limits: a flood of idle sockets cannot lock honest clients out, one address cannot
 * crowd out the others, an address that keeps failing its handshake is refused at accept, and a
 * full daemon says no. On Linux all of 127.0.0.0/8 is loopback: "other hosts" are 127.0.0.2 and
 * 127.0.0.3, and honest clients connect from 127.0.0.1.
 */
class ConnectionLimitsTest {
  private static final InetAddress HOST_B = ip("127.0.0.2");
  private static final InetAddress HOST_C = ip("127.0.0.3");

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

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
    // the total limit alone: per address, the 280 evictions would count as failed handshakes of
    // 127.0.0.1 and refuse it, honest client included (that rule has its own tests below)
    try (TestDaemon daemon = new TestDaemon(b -> b.maxUnauthenticated(20).maxUnauthenticatedPerAddress(1_000)
        .handshakeFailures(0, Duration.ofSeconds(10)).handshakeTimeout(Duration.ofMinutes(1)))) {
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

  /** An idle non-blocking connection from {@code from} that never says a word. */
  private static SocketChannel idleChannelFrom(InetAddress from, InetSocketAddress daemon) throws IOException {
    SocketChannel ch = SocketChannel.open();
    ch.bind(new InetSocketAddress(from, 0));
    ch.connect(daemon);
    ch.configureBlocking(false);
    return ch;
  }

  /** Whether the daemon has closed {@code ch} yet: reads what is there (its Hello), without waiting. */
  private static boolean closedYet(SocketChannel ch) {
    ByteBuffer buf = ByteBuffer.allocate(1024);
    try {
      for (int n; (n = ch.read(buf)) != 0; buf.clear()) {
        if (n < 0) {
          return true;
        }
      }
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void idleSocketsFromOneAddressBeyondItsLimit_closeItsOldestFirst_otherAddressesKeepTheirs() throws Exception {
    List<SocketChannel> fromC = new ArrayList<>();
    List<SocketChannel> fromB = new ArrayList<>();
    try (TestDaemon daemon = new TestDaemon(b -> b.maxUnauthenticatedPerAddress(10).maxUnauthenticated(1000)
        .handshakeFailures(0, Duration.ofSeconds(10)).handshakeTimeout(Duration.ofMinutes(1)))) {
      InetSocketAddress address = daemon.server.address();
      for (int i = 0; i < 5; i++) {
        fromC.add(idleChannelFrom(HOST_C, address));
      }
      for (int i = 0; i < 100; i++) {
        fromB.add(idleChannelFrom(HOST_B, address));
      }
      try (Manager honest = daemon.connect()) { // from 127.0.0.1, while 127.0.0.2 floods
        honest.dict("d").put("k", "v");
        assertEquals("v", honest.dict("d").get("k"));
      }
      ConnectionLimits limits = daemon.server.limits();
      await().atMost(Duration.ofSeconds(10)).until(() -> limits.unauthenticated() == 15);
      assertEquals(10, limits.unauthenticated(HOST_B), "127.0.0.2 holds its limit");
      assertEquals(5, limits.unauthenticated(HOST_C), "127.0.0.3 kept all of its connections");
      boolean[] closed = new boolean[100];
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        for (int i = 0; i < 100; i++) {
          closed[i] |= closedYet(fromB.get(i));
        }
        return count(closed) == 90;
      });
      // Oldest by admission, which the event loops may reorder a little against the connect order.
      for (int i = 0; i < 50; i++) {
        assertTrue(closed[i], "old idle socket " + i + " of 127.0.0.2 was closed");
      }
      assertTrue(fromC.stream().noneMatch(ConnectionLimitsTest::closedYet), "127.0.0.3's are open");
    } finally {
      for (SocketChannel ch : fromB) {
        ch.close();
      }
      for (SocketChannel ch : fromC) {
        ch.close();
      }
    }
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  @Test
  void unixSocketConnections_haveNoPerAddressLimit() throws Exception {
    List<SocketChannel> idle = new ArrayList<>();
    try (TestDaemon daemon = new TestDaemon(b -> b.maxUnauthenticatedPerAddress(2).handshakeTimeout(Duration.ofMinutes(1)))) {
      java.nio.file.Path socket = daemon.server.unixSocket().orElseThrow();
      for (int i = 0; i < 5; i++) {
        idle.add(SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server.limits().unauthenticated() == 5);
      for (SocketChannel ch : idle) {
        ch.configureBlocking(false);
      }
      assertTrue(idle.stream().noneMatch(ConnectionLimitsTest::closedYet), "none was closed");
    } finally {
      for (var ch : idle) {
        ch.close();
      }
    }
  }

  /**
   * 1,000 handshakes with a wrong key from 127.0.0.2: the daemon logs a few lines, not a thousand;
   * after max.handshake.failures.per.address (20) it closes their connections at accept; honest clients
   * from 127.0.0.1 connect meanwhile and afterwards, and a bystander loses nothing.
   */
  @Test
  void aThousandWrongKeysFromOneAddress_fewLogLines_refusedAtAccept_honestClientsServed() throws Exception {
    Logger daemonLog = (Logger) LoggerFactory.getLogger("io.jmanager");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    daemonLog.addAppender(lines);
    try (TestDaemon daemon = new TestDaemon(); Bystander bystander = new Bystander(daemon.connect(), "bystander")) {
      AtomicInteger honestConnects = new AtomicInteger();
      AtomicReference<Throwable> honestFailure = new AtomicReference<>();
      Thread honest = new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            try (Manager m = Manager.builder().address(daemon.server.address()).authkey(daemon.authkey).connect()) {
              m.counter("honest").incrementAndGet();
            }
            honestConnects.incrementAndGet();
          }
        } catch (Throwable t) {
          honestFailure.set(t);
        }
      }, "honest-connects");
      honest.start();
      byte[] wrongKey = Authkeys.random();
      int wrong = 0;
      int refusedAtAccept = 0;
      long start = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        try (RawClient attacker = new RawClient(daemon.server.address(), HOST_B)) {
          Message answer = attacker.tryAuthenticate(wrongKey);
          if (answer == null) {
            refusedAtAccept++; // closed before the challenge
          } else {
            assertEquals("wrong authkey", ((Message.Denied) answer).reason());
            wrong++;
          }
        }
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      honest.interrupt();
      honest.join(10_000);
      assertEquals(null, honestFailure.get(), "honest connects all succeeded");
      assertTrue(honestConnects.get() > 0, "honest clients connected during the attack");
      assertTrue(elapsedMs < 10_000, "the attempts fit in one 10 s window (took " + elapsedMs + " ms)");
      assertEquals(20, wrong, "20 handshakes were tried, then the address was refused at accept");
      assertEquals(980, refusedAtAccept);
      List<String> warnings = lines.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).map(ILoggingEvent::getFormattedMessage).toList();
      assertTrue(warnings.size() <= 3, "a handful of lines, not one per attempt: " + warnings);
      assertTrue(warnings.stream().anyMatch(w -> w.contains("rejected connection from 127.0.0.2: wrong authkey")), warnings.toString());
      assertTrue(warnings.stream().anyMatch(w -> w.contains("refusing new connections from 127.0.0.2 at accept")), warnings.toString());
      try (Manager after = daemon.connect()) {
        assertEquals(honestConnects.get(), after.counter("honest").get());
      }
      assertTrue(bystander.acknowledged() > 0);
    } finally {
      daemonLog.detachAppender(lines);
    }
  }
}
