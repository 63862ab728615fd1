package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedValue;
import io.jmanager.common.Authkeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three daemons in cluster mode, in this JVM: one store whichever daemon a client reaches. */
class ClusterModeTest {
  static final byte[] KEY = Authkeys.random();
  static final List<ManagerServer> DAEMONS = new ArrayList<>();
  static final List<Manager> CLIENTS = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    int[] ports = freePorts(3);
    List<String> members = new ArrayList<>();
    for (int p : ports) {
      members.add("127.0.0.1:" + p);
    }
    List<CompletableFuture<ManagerServer>> starting = new ArrayList<>();
    for (int p : ports) {
      starting.add(CompletableFuture.supplyAsync(() -> ManagerServer.builder().bind("127.0.0.1").port(0).authkey(KEY)
          .unixPath("off").clusterName("test-" + ports[0]).cluster("127.0.0.1", p, members).start()));
    }
    for (CompletableFuture<ManagerServer> s : starting) {
      DAEMONS.add(s.get(120, TimeUnit.SECONDS));
    }
    for (ManagerServer d : DAEMONS) {
      CLIENTS.add(Manager.builder().address(d.address()).authkey(KEY).connect());
    }
  }

  @AfterAll
  static void stopCluster() {
    CLIENTS.forEach(Manager::close);
    DAEMONS.parallelStream().forEach(ManagerServer::close);
  }

  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void aDictIsOneDictWhicheverDaemonServesIt() {
    SharedDict<String, Integer> a = CLIENTS.get(0).dict("cluster.dict");
    SharedDict<String, Integer> b = CLIENTS.get(1).dict("cluster.dict");
    a.put("k", 1);
    assertEquals(1, b.get("k"));
    b.merge("k", 41, Integer::sum);
    assertEquals(42, CLIENTS.get(2).<String, Integer>dict("cluster.dict").get("k"));
    assertEquals(10L, a.increment("n", 10));
    assertEquals(15L, b.increment("n", 5));
    assertNull(a.putIfAbsent("p", 7));
    assertEquals(7, b.putIfAbsent("p", 8));
    assertTrue(b.replace("p", 7, 9));
    assertEquals(java.util.Map.of("k", 42, "p", 9), a.getAll(List.of("k", "p", "absent")));
  }

  @Test
  void countersAndValuesAreShared() {
    SharedCounter a = CLIENTS.get(0).counter("cluster.counter");
    SharedCounter c = CLIENTS.get(2).counter("cluster.counter");
    a.addAndGet(5);
    assertEquals(6, c.incrementAndGet());
    SharedValue<String> v = CLIENTS.get(1).value("cluster.value", "first");
    assertEquals("first", CLIENTS.get(0).<String>value("cluster.value", "ignored").get());
    assertTrue(CLIENTS.get(2).<String>value("cluster.value", "x").compareAndSet("first", "second"));
    assertEquals("second", v.get());
  }

  @Test
  void aTypeTheClusterCannotHold_isRefusedClearly() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> CLIENTS.get(0).condition("cluster.condition"));
    assertTrue(e.getMessage().contains("cluster mode") && e.getMessage().contains("README"), e.getMessage());
  }
}
