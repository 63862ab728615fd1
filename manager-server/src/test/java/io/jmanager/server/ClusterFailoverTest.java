package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Authkeys;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster daemons in JVMs of their own; one is SIGKILLed while four worker JVMs write
 * through all three. The workers on it fail over by themselves and finish; no acknowledged write
 * is lost; the counter is exact (up to the increments whose outcome the kill left unknown).
 */
class ClusterFailoverTest {
  /** The documented bound: the dead daemon's CP session expires 10 s after its last heartbeat; slack for a loaded machine. */
  static final long LOCK_BOUND_SECONDS = 20;
  private static final Pattern RESULT = Pattern.compile("acked=(\\d+) unknown=(\\d+)");

  @Test
  void aMemberKilledUnderLoad_losesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
    byte[] key = Authkeys.random();
    int[] clusterPorts = TestCluster.freePorts(3);
    StringBuilder members = new StringBuilder();
    for (int p : clusterPorts) {
      members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
    }
    List<ManagerProcess> daemons = new ArrayList<>();
    List<WorkerProcess> workers = new ArrayList<>();
    try {
      List<CompletableFuture<ManagerProcess>> starting = new ArrayList<>();
      for (int p : clusterPorts) {
        starting.add(CompletableFuture.supplyAsync(() -> ManagerProcess.start(key, List.of(), "--heap", "256m", "--cluster",
            "--cluster-port", String.valueOf(p), "--cluster-members", members.toString()))); 
      }
      for (CompletableFuture<ManagerProcess> s : starting) {
        daemons.add(s.get(120, TimeUnit.SECONDS));
      }
      List<String> addresses = new ArrayList<>();
      daemons.forEach(d -> addresses.add("127.0.0.1:" + d.address().getPort()));
      int rounds = 1500;
      for (int i = 0; i < 4; i++) { // worker i reaches daemon i % 3 first, the others after it
        List<String> order = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
          order.add(addresses.get((i + j) % 3));
        }
        workers.add(WorkerProcess.of(Workers.ClusterWriter.class, "w" + i, String.valueOf(rounds))
            .manager(String.join(",", order), key).redirectOutput(Redirect.to(dir.resolve("w" + i).toFile())).start());
      }
      // a lock holder on the daemon that will be killed
      workers.add(WorkerProcess.of(Workers.Holder.class, "lock", "failover.lock").manager(addresses.get(0), key).start());
      try (Manager watcher = Manager.builder().address(addresses.get(1)).authkey(key).connect()) {
        Awaitility.await().atMost(120, TimeUnit.SECONDS).until(() -> watcher.counter("failover.counter").get() >= 400
            && watcher.dict("holders").containsKey("failover.lock"));
        io.jmanager.client.SharedLock lock = watcher.lock("failover.lock");
        assertTrue(!lock.tryLock());
        long killed = System.nanoTime();
        daemons.get(0).kill(); // SIGKILL, mid-load: workers 0 and 3 were on it, and the lock's holder
        assertTrue(lock.tryLock(LOCK_BOUND_SECONDS, TimeUnit.SECONDS), "the killed daemon's lock came back");
        double seconds = (System.nanoTime() - killed) / 1e9;
        assertTrue(seconds <= LOCK_BOUND_SECONDS, "the lock came back after " + seconds + " s");
        lock.unlock();
        workers.remove(workers.size() - 1).kill();
        int acked = 0;
        int unknown = 0;
        for (int i = 0; i < workers.size(); i++) {
          assertEquals(0, WorkerTestBase.exitOf(workers.get(i)), "worker " + i + ": " + Files.readString(dir.resolve("w" + i)));
          String out = Files.readString(dir.resolve("w" + i));
          Matcher m = RESULT.matcher(out);
          assertTrue(m.find(), out);
          acked += Integer.parseInt(m.group(1));
          unknown += Integer.parseInt(m.group(2));
          if (i % 3 == 0) { // it was on the killed daemon: it ended on another
            assertTrue(out.contains("first=" + addresses.get(0)) && !out.contains("last=" + addresses.get(0)), out);
          }
          String puts = out.substring(out.indexOf("put-list=") + 9).trim();
          var dict = watcher.<String, Integer>dict("failover.dict");
          for (String n : puts.isEmpty() ? new String[0] : puts.split(",")) {
            assertEquals(Integer.valueOf(n), dict.get("w" + i + "-" + n), "acknowledged put w" + i + "-" + n);
          }
        }
        long counted = watcher.counter("failover.counter").get();
        assertTrue(counted >= acked && counted <= acked + unknown,
            "counter " + counted + ", acknowledged " + acked + ", unknown " + unknown);
        assertEquals(4 * rounds, acked + unknown, "every increment was acknowledged or its outcome reported unknown");
      }
    } finally {
      workers.forEach(WorkerProcess::kill);
      daemons.forEach(ManagerProcess::kill);
    }
  }
}
