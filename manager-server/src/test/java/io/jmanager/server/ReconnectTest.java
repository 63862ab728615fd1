package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionListener;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.JoinableQueue;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedBarrier;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedCondition;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedDoubleArray;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedLongArray;
import io.jmanager.client.SharedNamespace;
import io.jmanager.client.SharedPipe;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.SharedSemaphore;
import io.jmanager.client.SharedValue;
import io.jmanager.common.Authkeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients ride out a daemon restart: they reconnect by themselves and their proxies bind again by
 * name; calls in flight fail as outcome-unknown, reads are made again, holds of locks are reported
 * lost, and reconnecting gives up with a clear error when it must.
 */
class ReconnectTest {
  private static final Duration SOON = Duration.ofSeconds(10);

  /** The events a manager's listener heard, in order. */
  static final class Events implements ConnectionListener {
    final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @Override
    public void connectionLost(String address, String reason) {
      heard.add("lost " + address);
    }

    @Override
    public void reconnected(String address, int attempts) {
      heard.add("reconnected " + address);
    }

    @Override
    public void reconnectFailed(String reason) {
      heard.add("failed " + reason);
    }

    String next() throws InterruptedException {
      String e = heard.poll(SOON.toMillis(), TimeUnit.MILLISECONDS);
      assertTrue(e != null, "no connection event within " + SOON);
      return e;
    }
  }

  /** Whether one taker is parked on the queue {@code name}, as the daemon's status says. */
  private static boolean oneTakerWaits(TestDaemon daemon, String name) {
    return daemon.server.info().objects().stream()
        .anyMatch(o -> o.name().equals(name) && o.details().contains(", 1 takers"));
  }

  @Test
  void proxiesOfEveryTypeKeepWorkingAcrossARestart_boundAgainByName() throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.register("greeter", Greeter.class, UserTypeTest.SlowCounter::new))) {
      Manager m = daemon.connect();
      Events events = new Events();
      m.addConnectionListener(events);
      SharedDict<String, Integer> dict = m.dict("d");
      SharedList<String> list = m.list("l");
      SharedQueue<String> queue = m.queue("q", 5);
      JoinableQueue<String> joinable = m.joinableQueue("jq");
      SharedCache<String, String> cache = m.cache("c", "maximumSize=10");
      SharedValue<String> value = m.value("v", "initial");
      SharedCounter counter = m.counter("n");
      SharedLongArray longs = m.longArray("la", 3);
      SharedDoubleArray doubles = m.doubleArray("da", 2);
      SharedNamespace ns = m.namespace("ns");
      SharedLock lock = m.lock("lock");
      SharedLock rlock = m.rlock("rlock");
      SharedSemaphore sem = m.semaphore("sem", 2);
      SharedSemaphore bsem = m.boundedSemaphore("bsem", 1);
      SharedCondition cond = m.condition("cond");
      SharedEvent event = m.event("ev");
      SharedBarrier barrier = m.barrier("bar", 1);
      SharedPipe pipe = m.pipe("pipe");
      Greeter greeter = m.proxy("greeter", "g", Greeter.class);
      dict.put("a", 1);
      assertEquals("x", greeter.greet("x"));

      daemon.restart(); // a new daemon, with none of the old one's objects
      assertEquals("lost " + daemon.address(), events.next());
      assertEquals("reconnected " + daemon.address(), events.next());

      // each proxy binds again by name (creating the object with its first parameters) and works
      assertNull(dict.get("a"));
      dict.put("a", 2);
      assertEquals(2, dict.get("a"));
      list.add("x");
      assertEquals(List.of("x"), list.copy());
      for (int i = 0; i < 5; i++) {
        assertTrue(queue.offer("i" + i));
      }
      assertFalse(queue.offer("full"), "the queue was made again with its capacity of 5");
      joinable.put("j");
      assertEquals("j", joinable.take());
      joinable.taskDone();
      cache.put("k", "v");
      assertEquals("v", cache.getIfPresent("k"));
      assertEquals("initial", value.get(), "made again with its initial value");
      assertEquals(1, counter.incrementAndGet());
      assertEquals(3, longs.length());
      assertEquals(5L, longs.addAndGet(2, 5));
      assertEquals(2, doubles.length());
      ns.set("attr", 7);
      assertEquals((Object) 7, ns.get("attr"));
      lock.lock();
      lock.unlock();
      rlock.lock();
      rlock.lock();
      rlock.unlock();
      rlock.unlock();
      assertTrue(sem.tryAcquire(2));
      sem.release(2);
      bsem.acquire();
      bsem.release();
      assertThrows(IllegalStateException.class, bsem::release, "made again as a bounded semaphore");
      cond.lock();
      assertFalse(cond.await(Duration.ofMillis(1)));
      cond.unlock();
      event.set();
      assertTrue(event.isSet());
      assertEquals(0, barrier.await());
      pipe.left().send("over");
      assertEquals("over", pipe.right().recv());
      assertEquals("y", greeter.greet("y"));
      CompletableFuture<Integer> pipelined;
      try (io.jmanager.client.Pipeline p = m.pipeline()) {
        p.add(() -> dict.put("p", 1));
        pipelined = p.add(() -> dict.get("p"));
      }
      assertEquals(1, pipelined.get());
      assertEquals(1, greeter.count(), "a new user object");
      assertTrue(m.isConnected());
      assertTrue(m.names().containsAll(List.of("d", "l", "q", "g", "pipe")));
    }
  }

  @Test
  void aLockHeldAcrossARestart_isReportedLostOnUnlock_andCanBeTakenAgain() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedLock lock = m.lock("lock");
      SharedLock rlock = m.rlock("rlock");
      SharedSemaphore sem = m.semaphore("sem", 3);
      SharedCondition cond = m.condition("cond");
      lock.lock();
      rlock.lock();
      rlock.lock();
      sem.acquire(2);
      cond.lock();
      Events events = new Events();
      m.addConnectionListener(events);

      daemon.restart();
      events.next();
      assertTrue(events.next().startsWith("reconnected"));

      IllegalMonitorStateException lost = assertThrows(IllegalMonitorStateException.class, lock::unlock);
      assertTrue(lost.getMessage().contains("'lock' was lost with the connection"), lost.getMessage());
      assertThrows(IllegalMonitorStateException.class, rlock::unlock, "the first of two holds");
      assertThrows(IllegalMonitorStateException.class, rlock::unlock, "the second");
      IllegalMonitorStateException permits = assertThrows(IllegalMonitorStateException.class, () -> sem.release(2));
      assertTrue(permits.getMessage().contains("permits of semaphore 'sem' were lost"), permits.getMessage());
      assertThrows(IllegalMonitorStateException.class, cond::unlock);

      // each was reported once; now they are taken and released as usual on the new connection
      IllegalMonitorStateException notHeld = assertThrows(IllegalMonitorStateException.class, lock::unlock);
      assertFalse(notHeld.getMessage().contains("lost with the connection"), notHeld.getMessage());
      lock.lock();
      lock.unlock();
      rlock.lock();
      rlock.unlock();
      assertEquals(3, sem.availablePermits(), "a restarted daemon has every permit back");
      sem.acquire(3);
      sem.release(3);
      cond.lock();
      cond.unlock();
    }
  }

  @Test
  void aParkedTake_failsAsOutcomeUnknown_andANewWaitAfterReconnectingWorks() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedQueue<String> q = m.queue("q");
      CompletableFuture<String> parked = CompletableFuture.supplyAsync(() -> {
        try {
          return q.take();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(SOON).until(() -> oneTakerWaits(daemon, "q"));
      daemon.restart();
      ExecutionException e = assertThrows(ExecutionException.class, () -> parked.get(SOON.toMillis(), TimeUnit.MILLISECONDS));
      ConnectionLostException lost = assertInstanceOf(ConnectionLostException.class, e.getCause());
      assertTrue(lost.getMessage().contains("outcome is unknown"), lost.getMessage());

      CompletableFuture<String> again = CompletableFuture.supplyAsync(() -> {
        try {
          return q.poll(SOON.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          throw new IllegalStateException(ie);
        }
      });
      await().atMost(SOON).until(() -> oneTakerWaits(daemon, "q"));
      try (Manager other = daemon.connect()) {
        other.queue("q").put("item");
      }
      assertEquals("item", again.get(SOON.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /** Whether {@code t} has sent its call and waits for the answer (not for a connection). */
  private static boolean waitsForAnAnswer(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().endsWith("internal.Connection") && e.getMethodName().equals("await")) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code call} in a thread of its own, so that the test can see where it waits. */
  private static <T> CompletableFuture<T> inThread(java.util.function.Supplier<T> call, List<Thread> threads) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(call.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    threads.add(t);
    t.start();
    return f;
  }

  @Test
  void aDaemonKilledWithCallsInFlight_aPutFailsAsOutcomeUnknown_aReadIsMadeAgain() throws Exception {
    ManagerProcess daemon = ManagerProcess.start();
    ManagerProcess restarted = null;
    try {
      Manager m = daemon.connect();
      SharedDict<String, String> d = m.dict("d");
      d.put("k", "v");
      DaemonLossTest.signal("STOP", daemon.pid()); // the calls below are sent and never answered
      List<Thread> threads = new java.util.ArrayList<>();
      CompletableFuture<String> put = inThread(() -> d.put("k", "w"), threads);
      CompletableFuture<String> get = inThread(() -> d.get("k"), threads);
      await().atMost(SOON).until(() -> threads.stream().allMatch(ReconnectTest::waitsForAnAnswer));
      daemon.kill();
      restarted = daemon.restart();
      ExecutionException e = assertThrows(ExecutionException.class, () -> put.get(SOON.toMillis(), TimeUnit.MILLISECONDS));
      ConnectionLostException lost = assertInstanceOf(ConnectionLostException.class, e.getCause());
      assertTrue(lost.getMessage().contains("outcome is unknown") && lost.getMessage().contains("not sent again"),
          lost.getMessage());
      assertNull(get.get(SOON.toMillis(), TimeUnit.MILLISECONDS), "made again, on the new daemon");
      assertEquals(restarted.address().getPort(), daemon.address().getPort());
      assertNull(d.put("k", "x"), "the proxy is bound again by name");
      m.close();
    } finally {
      daemon.kill();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  @Test
  void aCallMadeWhileTheDaemonIsDown_waitsForTheReconnect() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedDict<String, String> d = m.dict("d");
      SharedCounter c = m.counter("c");
      d.put("k", "before");
      c.incrementAndGet();
      daemon.stop();
      await().atMost(SOON).until(() -> !m.isConnected());
      CompletableFuture<String> put = CompletableFuture.supplyAsync(() -> d.put("k", "after"));
      CompletableFuture<Long> count = CompletableFuture.supplyAsync(c::incrementAndGet);
      // both are waiting for the connection (not failed): the daemon is not there to answer
      await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> !put.isDone() && !count.isDone());
      daemon.start();
      assertNull(put.get(SOON.toMillis(), TimeUnit.MILLISECONDS), "sent once, to the new daemon");
      assertEquals(1L, count.get(SOON.toMillis(), TimeUnit.MILLISECONDS), "sent once, to the new daemon");
      assertEquals("after", d.get("k"));
    }
  }

  @Test
  void reconnecting_givesUpAfterItsLimit_withAClearError() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = Manager.builder().address(daemon.address()).authkey(daemon.authkey)
          .reconnect(Duration.ofMillis(700)).connect();
      Events events = new Events();
      m.addConnectionListener(events);
      SharedCounter c = m.counter("c");
      c.incrementAndGet();
      long start = System.nanoTime();
      daemon.stop();
      assertTrue(events.next().startsWith("lost"));
      String failed = events.next();
      assertTrue(failed.startsWith("failed") && failed.contains("gave up reconnecting after"), failed);
      assertTrue(System.nanoTime() - start < SOON.toNanos());
      ConnectionLostException later = assertThrows(ConnectionLostException.class, c::get);
      assertTrue(later.getMessage().contains("gave up reconnecting"), later.getMessage());
      assertFalse(m.isConnected());
      daemon.start(); // too late: the manager stays closed
      assertThrows(ConnectionLostException.class, c::get);
      m.close();
    }
  }

  @Test
  void aDaemonRestartedWithAnotherAuthkey_endsReconnectingAtOnce() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect(); // the default: reconnecting for 30 s
      Events events = new Events();
      m.addConnectionListener(events);
      long start = System.nanoTime();
      daemon.stop();
      daemon.start(Authkeys.random());
      assertTrue(events.next().startsWith("lost"));
      String failed = events.next();
      assertTrue(failed.startsWith("failed") && failed.contains("refused"), failed);
      assertTrue(System.nanoTime() - start < SOON.toNanos(), "not retried until the 30 s limit");
      ConnectionLostException e = assertThrows(ConnectionLostException.class, () -> m.dict("d").size());
      assertTrue(e.getMessage().contains("reconnecting stopped"), e.getMessage());
    }
  }

  @Test
  void severalAddresses_triedInOrder_failOverToTheNext() throws Exception {
    try (TestDaemon first = new TestDaemon(); TestDaemon second = new TestDaemon(b -> b.authkey(first.authkey))) {
      Manager m = Manager.builder().address(first.address() + "," + second.address()).authkey(first.authkey).connect();
      assertEquals(first.address(), m.address());
      m.dict("d").put("k", "first");
      Events events = new Events();
      m.addConnectionListener(events);
      first.stop();
      events.next();
      assertEquals("reconnected " + second.address(), events.next());
      assertNull(m.dict("d").get("k"), "the second daemon's own dict");
      assertEquals(second.address(), m.address());
      m.close();
    }
  }

  @Test
  void overTls_aRestartedDaemonWithItsCertificate_isReconnectedTo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.tls(true).tlsDir(dir).unixPath("off"))) {
      String fingerprint = daemon.server.tlsFingerprint().orElseThrow();
      Manager m = daemon.connect(b -> b.tlsFingerprint(fingerprint));
      SharedDict<String, String> d = m.dict("d");
      d.put("k", "v");
      Events events = new Events();
      m.addConnectionListener(events);
      daemon.restart(); // the certificate kept in dir: the same fingerprint
      events.next();
      assertTrue(events.next().startsWith("reconnected"));
      assertNull(d.put("k", "again"), "a new daemon, reached over TLS again");
      assertEquals(fingerprint, daemon.server.tlsFingerprint().orElseThrow());
    }
  }

  /** The reconnecting threads of this JVM that are alive. */
  private static java.util.Set<Thread> reconnectingThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("jmanager-reconnect") && t.isAlive())
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void closingWhileReconnecting_endsTheWaitingCalls_andTheReconnectingThread() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect(); // reconnecting for 30 s
      SharedCounter c = m.counter("c");
      c.incrementAndGet();
      java.util.Set<Thread> others = reconnectingThreads(); // of other tests' managers, if any
      daemon.stop();
      await().atMost(SOON).until(() -> !m.isConnected() && !others.containsAll(reconnectingThreads()));
      java.util.Set<Thread> mine = reconnectingThreads();
      mine.removeAll(others);
      CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(c::incrementAndGet);
      await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> !waiting.isDone());
      m.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(SOON.toMillis(), TimeUnit.MILLISECONDS));
      assertInstanceOf(ConnectionLostException.class, e.getCause());
      await().atMost(SOON).until(() -> mine.stream().noneMatch(Thread::isAlive));
      assertThrows(ConnectionLostException.class, c::get);
    }
  }

  @Test
  void reconnectOff_aLostConnectionIsFinal() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = Manager.builder().address(daemon.address()).authkey(daemon.authkey).reconnect(Duration.ZERO).connect();
      SharedCounter c = m.counter("c");
      daemon.restart();
      await().atMost(SOON).until(() -> !m.isConnected());
      ConnectionLostException e = assertThrows(ConnectionLostException.class, c::get);
      assertTrue(e.getMessage().contains("is lost"), e.getMessage());
      m.close();
    }
  }
}
