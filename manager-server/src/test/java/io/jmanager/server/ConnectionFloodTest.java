package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A flood of idle sockets from one address (127.0.0.2) against a daemon in its own JVM with the
 * shipped limits: honest clients from another address still connect and make their first call
 * quickly, the daemon's open files stay bounded, and a bystander loses nothing. What holds the line:
 * max.unauthenticated.per.address closes the flood's oldest sockets, each such eviction is a failed
 * handshake of 127.0.0.2, and after 20 of them the address is refused at accept for the rest of its
 * 10 s window. (ConnectionLimitsTest shows the per-address limit alone.)
 */
class ConnectionFloodTest {
  private static final int WANTED = 20_000;
  private static final int BATCHES = 10;
  private static final long HONEST_MAX_MS = 100;

  @Test
  void idleFloodFromOneAddress_honestClientsConnectFast_daemonFilesBounded() throws Exception {
    int headroom = 1_000; // this JVM's jars, selectors of its clients, the test's own sockets
    int flood = Math.min(WANTED, ProcStats.openFilesLimit() - ProcStats.openFds(ProcessHandle.current().pid()) - headroom);
    if (flood < WANTED) {
      System.out.printf("flood scaled to %d sockets: this JVM may open %d files (ulimit -n) and needs %d for itself%n",
          flood, ProcStats.openFilesLimit(), ProcStats.openFds(ProcessHandle.current().pid()) + headroom);
    }
    assertTrue(flood >= 5_000, "too few files allowed to test a flood: raise ulimit -n");
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    List<Socket> idle = new ArrayList<>(flood);
    AtomicInteger ports = new AtomicInteger(20_000);
    ExecutorService flooder = Executors.newSingleThreadExecutor();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (ManagerProcess daemon = ManagerProcess.start();
        Bystander bystander = new Bystander(daemon.connect(), "bystander")) {
      for (int i = 0; i < 3; i++) {
        honestConnectMillis(daemon); // this JVM loads and compiles its connect path first
      }
      List<Long> before = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        before.add(honestConnectMillis(daemon));
      }
      int fdsBefore = ProcStats.openFds(daemon.pid());
      AtomicInteger fdsMax = new AtomicInteger(fdsBefore);
      sampler.scheduleAtFixedRate(() -> fdsMax.accumulateAndGet(ProcStats.openFds(daemon.pid()), Math::max),
          0, 10, TimeUnit.MILLISECONDS);
      List<Long> during = new ArrayList<>();
      long floodStart = System.nanoTime();
      for (int b = 0; b < BATCHES; b++) {
        int n = flood / BATCHES;
        CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> openIdle(attacker, daemon.address(), n, idle, ports), flooder);
        during.add(honestConnectMillis(daemon)); // while the batch is being opened
        batch.get(60, TimeUnit.SECONDS);
      }
      long floodMs = (System.nanoTime() - floodStart) / 1_000_000;
      List<Long> after = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        after.add(honestConnectMillis(daemon)); // with every idle socket still open
      }
      sampler.shutdown();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      int fdsAfter = ProcStats.openFds(daemon.pid());
      System.out.printf("%d idle sockets from 127.0.0.2 in %d ms; honest connect + first call before %s ms, during the flood %s ms, "
              + "after %s ms; daemon open files %d before, at most %d during, %d after; bystander %d puts%n",
          idle.size(), floodMs, before, during, after, fdsBefore, fdsMax.get(), fdsAfter, bystander.acknowledged());
      // Locked out would look like seconds: a full listen queue drops the SYN, retried after 1 s, 3 s...
      // Each attempt under 100 ms holds on a quiet machine; on two cores shared with a busy build a
      // few attempts took longer before the flood as well, so the typical one is held to 100 ms.
      List<Long> all = new ArrayList<>(during);
      all.addAll(after);
      assertTrue(all.stream().allMatch(ms -> ms < 1_000), "an honest client waited a second or more: " + all);
      assertTrue(median(during) < HONEST_MAX_MS, "honest connects during the flood: " + during);
      assertTrue(median(after) < HONEST_MAX_MS, "honest connects after the flood: " + after);
      // max.unauthenticated.per.address (32) of the flood, plus what is being accepted and closed
      assertTrue(fdsMax.get() < fdsBefore + 200, "the daemon's open files stayed bounded: " + fdsBefore + " -> " + fdsMax.get());
    } finally {
      sampler.shutdownNow();
      flooder.shutdownNow();
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  /**
   * Opens {@code n} idle connections from {@code from} that never send a byte. Each binds a port
   * of its own choosing, counting up from {@code ports}: past about 14,000 sockets Linux's search
   * for a free port in bind(port 0) turns slow (it prefers one half of the ephemeral range).
   */
  private static void openIdle(InetAddress from, InetSocketAddress daemon, int n, List<Socket> into, AtomicInteger ports) {
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        synchronized (into) {
          into.add(s);
        }
        s.setReuseAddress(true); // a port left in TIME_WAIT by the previous run
        while (true) {
          try {
            s.bind(new InetSocketAddress(from, ports.getAndIncrement()));
            break;
          } catch (java.net.BindException taken) {
            // another socket holds this port on this address: try the next
          }
        }
        s.connect(daemon, 10_000);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /** Connects from 127.0.0.1, makes one call, and returns the milliseconds both took. */
  private static long honestConnectMillis(ManagerProcess daemon) {
    long start = System.nanoTime();
    try (Manager m = daemon.connect()) {
      m.counter("honest").incrementAndGet();
      return (System.nanoTime() - start) / 1_000_000;
    }
  }
}
