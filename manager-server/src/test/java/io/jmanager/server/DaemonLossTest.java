package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedQueue;
import io.jmanager.common.Authkeys;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing waits on a dead daemon: every pending and later call, a parked {@code take()} too, fails
 * with ConnectionLostException.
 */
class DaemonLossTest {
  /** The daemon's default heartbeat timeout, which its clients adopt. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  /**
   * What a timing bound allows beyond the timeout it tests, for a loaded 2-core machine: a GC
   * pause, a descheduled thread. The cause is checked apart (the message names the heartbeat; a
   * lower bound shows nothing ended early).
   */
  static final Duration SLACK = Duration.ofSeconds(3);

  /** A manager of {@code daemon} that tries to reconnect for {@code reconnect} (zero: not at all). */
  static Manager connect(ManagerProcess daemon, Duration reconnect) {
    return Manager.builder().address(daemon.address()).authkey(daemon.authkey()).reconnect(reconnect).connect();
  }

  @Test
  void daemonKilled_laterCallsFailWithConnectionLost_onceReconnectingGivesUp() throws Exception {
    Duration reconnect = Duration.ofSeconds(1);
    try (ManagerProcess daemon = ManagerProcess.start()) {
      Manager m = connect(daemon, reconnect);
      SharedCounter c = m.counter("c");
      assertEquals(1, c.incrementAndGet());
      daemon.kill();
      long start = System.nanoTime();
      Duration bound = HEARTBEAT_TIMEOUT.plus(reconnect).plus(SLACK);
      await().atMost(bound).untilAsserted(() -> assertThrows(ConnectionLostException.class, c::incrementAndGet));
      ConnectionLostException e = assertThrows(ConnectionLostException.class, () -> m.dict("later"));
      assertTrue(e.getMessage().contains("gave up reconnecting"), e.getMessage());
      assertTrue(System.nanoTime() - start < bound.toNanos());
    }
  }

  @Test
  void daemonKilled_parkedTakeFailsWithConnectionLost_outcomeUnknown() throws Exception {
    try (ManagerProcess daemon = ManagerProcess.start(); Manager m = connect(daemon, Duration.ofSeconds(1))) {
      SharedQueue<String> q = m.queue("q");
      CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
        try {
          return q.take();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> m.info().objects().stream()
          .anyMatch(o -> o.name().equals("q") && o.details().contains("1 takers")));
      daemon.kill();
      long start = System.nanoTime();
      Duration bound = HEARTBEAT_TIMEOUT.plus(SLACK);
      ExecutionException e = assertThrows(ExecutionException.class, () -> taken.get(bound.toMillis(), TimeUnit.MILLISECONDS));
      ConnectionLostException lost = assertInstanceOf(ConnectionLostException.class, e.getCause());
      assertTrue(lost.getMessage().contains("outcome is unknown"), lost.getMessage());
      assertTrue(System.nanoTime() - start < bound.toNanos());
    }
  }

  @Test
  void daemonHung_pendingCallFailsWithinHeartbeatTimeout() throws Exception {
    withHungDaemon((m, c) -> {
      long start = System.nanoTime();
      CompletableFuture<Long> pending = CompletableFuture.supplyAsync(c::incrementAndGet);
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> pending.get(HEARTBEAT_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS));
      assertTrue(e.getCause() instanceof ConnectionLostException, String.valueOf(e.getCause()));
      assertTrue(e.getCause().getMessage().contains("heartbeat"), e.getCause().getMessage());
      assertTrue(System.nanoTime() - start < HEARTBEAT_TIMEOUT.plus(SLACK).toNanos());
      assertThrows(ConnectionLostException.class, c::get);
    });
  }

  @Test
  void daemonHung_whileNoThreadIsReading_connectionIsLostWithinHeartbeatTimeout() throws Exception {
    withHungDaemon((m, c) -> {
      long start = System.nanoTime();
      // no call is in flight: only the client's heartbeat thread can notice
      await().atMost(HEARTBEAT_TIMEOUT.plus(SLACK)).until(() -> !m.isConnected());
      assertTrue(System.nanoTime() - start < HEARTBEAT_TIMEOUT.plus(SLACK).toNanos());
      ConnectionLostException e = assertThrows(ConnectionLostException.class, c::get);
      assertTrue(e.getMessage().contains("heartbeat"), e.getMessage());
    });
  }

  /** What a test checks while its daemon is hung (SIGSTOP) after one call on counter {@code c}. */
  interface WhileHung {
    void check(Manager m, SharedCounter c) throws Exception;
  }

  /** With reconnecting off: a hung daemon would accept the new connection and never answer it. */
  private static void withHungDaemon(WhileHung test) throws Exception {
    try (ManagerProcess daemon = ManagerProcess.start()) {
      Manager m = connect(daemon, Duration.ZERO);
      SharedCounter c = m.counter("c");
      c.incrementAndGet();
      signal("STOP", daemon.pid());
      try {
        test.check(m, c);
      } finally {
        signal("CONT", daemon.pid());
        daemon.kill();
      }
    }
  }

  @Test
  void serverRestartedOnSamePort_servesNewClients() {
    byte[] key = Authkeys.random();
    ManagerServer first = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).start();
    int port = first.address().getPort();
    Manager old = Manager.builder().address(first.address()).authkey(key).reconnect(Duration.ZERO).connect();
    old.dict("d").put("k", "v");
    first.close();
    await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThrows(ConnectionLostException.class, () -> old.dict("d")));
    try (ManagerServer second = ManagerServer.builder().bind("127.0.0.1").port(port).authkey(key).start();
        Manager fresh = Manager.builder().address(second.address()).authkey(key).connect()) {
      assertEquals(port, second.address().getPort());
      fresh.dict("d").put("k", "new");
      assertEquals("new", fresh.dict("d").get("k"));
    }
  }

  /** Sends a signal the JDK cannot (SIGSTOP, SIGCONT), with the shell's built-in kill. */
  static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", "kill -" + sig + " " + pid).inheritIO().start();
    assertEquals(0, p.waitFor(), "kill -" + sig);
    if (sig.equals("STOP")) {
      // kill returns once the signal is sent; every thread of the target stops a moment later
      await().atMost(Duration.ofSeconds(10)).until(() -> isStopped(pid));
    }
  }

  /** Whether the process is in the stopped state ('T' in /proc/pid/stat); true where /proc is absent. */
  private static boolean isStopped(long pid) throws java.io.IOException {
    java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
    if (!java.nio.file.Files.exists(stat)) {
      return true;
    }
    String s = java.nio.file.Files.readString(stat);
    return s.substring(s.lastIndexOf(')') + 2).startsWith("T");
  }
}
