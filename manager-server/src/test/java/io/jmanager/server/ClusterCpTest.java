package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.common.Authkeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cluster of fewer daemons than its CP subsystem needs: a clear message, or unsafe mode by choice. */
class ClusterCpTest {
  @Test
  void oneDaemonOfThreeCpMembers_refusesCountersWithWhatToDo_andServesDicts() throws Exception {
    byte[] key = Authkeys.random();
    int port = TestCluster.freePorts(1)[0];
    try (ManagerServer daemon = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).unixPath("off")
            .clusterName("cp-" + port).cluster("127.0.0.1", port, List.of()).start();
        Manager m = Manager.builder().address(daemon.address()).authkey(key).connect()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.counter("c").get());
      assertTrue(e.getMessage().contains("cluster.cp.members=3") && e.getMessage().contains("1 have")
          && e.getMessage().contains("cluster.cp.members=0"), e.getMessage());
      m.<String, Integer>dict("d").put("k", 1);
      assertEquals(1, m.<String, Integer>dict("d").get("k"));
    }
  }

  @Test
  void unsafeModeByChoice_servesCountersOnOneDaemon() throws Exception {
    byte[] key = Authkeys.random();
    int port = TestCluster.freePorts(1)[0];
    try (ManagerServer daemon = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).unixPath("off")
            .clusterName("unsafe-" + port).cluster("127.0.0.1", port, List.of()).clusterCpMembers(0).start();
        Manager m = Manager.builder().address(daemon.address()).authkey(key).connect()) {
      assertEquals(3, m.counter("c").addAndGet(3));
    }
  }
}
