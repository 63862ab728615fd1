package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedBarrier;
import io.jmanager.client.SharedCondition;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedSemaphore;
import io.jmanager.client.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Synchronization objects shared by real worker JVMs, including ones killed mid-hold. */
class CrossProcessSyncTest extends WorkerTestBase {
  /** The daemon's default heartbeat timeout, and slack; a killed worker's socket usually closes at once. */
  static final Duration RELEASE_BOUND = DaemonLossTest.HEARTBEAT_TIMEOUT.plus(DaemonLossTest.SLACK);

  /** The daemon's default heartbeat interval: a client is heard from at least this often. */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  private void awaitHolder(String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> m.dict("holders").containsKey(name));
  }

  @Test
  void lockHolderKilled_waiterInAnotherJvmAcquires() throws Exception {
    WorkerProcess holder = worker(Workers.Holder.class, "lock", "crash-lock");
    awaitHolder("crash-lock");
    SharedLock lock = m.lock("crash-lock");
    assertTrue(!lock.tryLock());
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        boolean acquired = lock.tryLock(30, TimeUnit.SECONDS);
        if (acquired) {
          lock.unlock(); // by the owner: this thread
        }
        return acquired;
      } catch (InterruptedException e) {
        return false;
      }
    });
    await().until(() -> SynchronizationTest.details(m, "crash-lock").contains("1 waiting"));
    long killed = System.nanoTime();
    holder.kill();
    assertTrue(waiter.get(RELEASE_BOUND.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - killed < RELEASE_BOUND.toNanos());
  }

  @Test
  void rlockHolderKilled_withTwoHolds_waiterInAnotherJvmAcquires() throws Exception {
    WorkerProcess holder = worker(Workers.Holder.class, "rlock", "crash-rlock");
    awaitHolder("crash-rlock");
    SharedLock rlock = m.rlock("crash-rlock");
    assertTrue(SynchronizationTest.details(m, "crash-rlock").contains(" x2 "), SynchronizationTest.details(m, "crash-rlock"));
    assertTrue(!rlock.tryLock());
    long killed = System.nanoTime();
    holder.kill();
    assertTrue(rlock.tryLock(RELEASE_BOUND.toMillis(), TimeUnit.MILLISECONDS), "both holds released with the holder");
    assertTrue(System.nanoTime() - killed < RELEASE_BOUND.toNanos());
    assertTrue(SynchronizationTest.details(m, "crash-rlock").contains(" x1 "), "only this thread's own hold");
    rlock.unlock();
    assertEquals("free", SynchronizationTest.details(m, "crash-rlock"));
  }

  @Test
  void lockWaiterKilled_itsWaitIsDropped_theLockIsNotGrantedToIt() throws Exception {
    SharedLock lock = m.lock("waited-lock");
    lock.lock();
    WorkerProcess waiter = worker(Workers.Holder.class, "lock", "waited-lock");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> SynchronizationTest.details(m, "waited-lock").endsWith(", 1 waiting"));
    waiter.kill();
    await().atMost(RELEASE_BOUND).until(() -> SynchronizationTest.details(m, "waited-lock").endsWith(", 0 waiting"));
    lock.unlock();
    assertEquals("free", SynchronizationTest.details(m, "waited-lock"), "not handed to the dead waiter");
    try (Manager other = daemon.connect()) {
      SharedLock theirs = other.lock("waited-lock");
      assertTrue(theirs.tryLock());
      theirs.unlock();
    }
    assertTrue(!m.dict("holders").containsKey("waited-lock"), "the waiter never got the lock");
  }

  @Test
  void permitWaiterKilled_itsWaitIsDropped_thePermitStays() throws Exception {
    SharedSemaphore sem = m.semaphore("waited-sem", 1);
    sem.acquire();
    WorkerProcess waiter = worker(Workers.Holder.class, "semaphore", "waited-sem");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> SynchronizationTest.details(m, "waited-sem").endsWith(", 1 waiting"));
    waiter.kill();
    await().atMost(RELEASE_BOUND).until(() -> SynchronizationTest.details(m, "waited-sem").endsWith(", 0 waiting"));
    sem.release();
    assertEquals(1, sem.availablePermits(), "not handed to the dead waiter");
    assertTrue(!m.dict("holders").containsKey("waited-sem"), "the waiter never got the permit");
  }

  @Test
  void lockHolderHung_isDroppedAfterTheHeartbeatTimeout() throws Exception {
    WorkerProcess holder = worker(Workers.Holder.class, "lock", "hung-lock");
    awaitHolder("hung-lock");
    SharedLock lock = m.lock("hung-lock");
    DaemonLossTest.signal("STOP", holder.pid()); // returns once the holder is stopped
    try {
      long stopped = System.nanoTime();
      assertTrue(lock.tryLock(RELEASE_BOUND.toMillis(), TimeUnit.MILLISECONDS), "released once the holder went silent");
      long ms = (System.nanoTime() - stopped) / 1_000_000;
      // heard from last at most an interval before it stopped: never released before the timeout could pass
      assertTrue(ms >= DaemonLossTest.HEARTBEAT_TIMEOUT.minus(HEARTBEAT_INTERVAL).toMillis() - 500,
          "released after " + ms + " ms: not by the heartbeat timeout");
      assertTrue(ms < RELEASE_BOUND.toMillis(), "released after " + ms + " ms");
      lock.unlock();
    } finally {
      holder.kill(); // SIGKILL works on a stopped process
    }
  }

  @Test
  void permitHolderKilled_permitReturns() throws Exception {
    WorkerProcess holder = worker(Workers.Holder.class, "semaphore", "crash-sem");
    awaitHolder("crash-sem");
    SharedSemaphore sem = m.semaphore("crash-sem", 1);
    assertEquals(0, sem.availablePermits());
    long killed = System.nanoTime();
    holder.kill();
    assertTrue(sem.tryAcquire(RELEASE_BOUND.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - killed < RELEASE_BOUND.toNanos());
    sem.release();
  }

  @Test
  void barrierPartyKilled_othersGetBrokenBarrier() throws Exception {
    WorkerProcess party = worker(Workers.Holder.class, "barrier", "crash-barrier");
    awaitHolder("crash-barrier");
    SharedBarrier b = m.barrier("crash-barrier", 3);
    await().until(() -> b.numberWaiting() == 1);
    CompletableFuture<Throwable> me = CompletableFuture.supplyAsync(() -> {
      try {
        b.await();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    await().until(() -> b.numberWaiting() == 2);
    party.kill();
    assertTrue(me.get(RELEASE_BOUND.toMillis(), TimeUnit.MILLISECONDS) instanceof BrokenBarrierException);
    assertTrue(b.isBroken());
  }

  @Test
  void fourJvmsLockedReadModifyWrite_loseNothing() throws Exception {
    for (int i = 0; i < 4; i++) {
      worker(Workers.LockedIncrementer.class, "rmw-lock", "rmw", "2000");
    }
    joinAll(0);
    assertEquals(8000, m.dict("rmw").get("n"));
  }

  @Test
  void conditionSignalWakesOne_signalAllWakesAll_acrossJvms() throws Exception {
    for (int i = 0; i < 3; i++) {
      worker(Workers.ConditionWaiter.class, "cv");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> m.counter("cv.waiting").get() == 3
        && SynchronizationTest.details(m, "cv").contains("3 awaiting"));
    SharedCondition c = m.condition("cv");
    c.lock();
    c.signal();
    c.unlock();
    await().until(() -> m.counter("cv.woken").get() == 1);
    assertTrue(SynchronizationTest.details(m, "cv").contains("2 awaiting"));
    c.lock();
    c.signalAll();
    c.unlock();
    await().until(() -> m.counter("cv.woken").get() == 3);
    for (WorkerProcess w : started) {
      assertEquals(0, exitOf(w));
    }
  }

  @Test
  void eventAwaitAcrossJvms() throws Exception {
    for (int i = 0; i < 2; i++) {
      worker(Workers.EventWaiter.class, "start-signal");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> m.counter("start-signal.waiting").get() == 2);
    m.event("start-signal").set();
    for (WorkerProcess w : started) {
      assertTrue(w.join(Duration.ofSeconds(30)));
      assertEquals(0, w.exitCode().getAsInt());
    }
  }

  @Test
  void barrierOfFourJvms_returnsIndicesZeroToThree() throws Exception {
    for (int i = 0; i < 4; i++) {
      worker(Workers.BarrierAwaiter.class, "four", "4");
    }
    for (WorkerProcess w : started) {
      assertTrue(w.join(Duration.ofSeconds(60)));
      assertEquals(0, w.exitCode().getAsInt());
    }
    Set<Integer> indices = new HashSet<>(m.<Long, Integer>dict("four.indices").values());
    assertEquals(Set.of(0, 1, 2, 3), indices);
  }

  @Test
  void thousandWaitersOnOneLock_grantedFifo_daemonThreadsBounded() throws Exception {
    int waiters = 1000;
    try (ManagerProcess child = ManagerProcess.start()) {
      List<Manager> conns = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        conns.add(child.connect());
      }
      Manager main = conns.get(0);
      SharedLock lock = main.lock("fifo");
      lock.lock();
      int threadsBefore = main.info().threads();
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(waiters);
      try {
        for (int i = 0; i < waiters; i++) {
          int ticket = i;
          SharedLock mine = conns.get(i % 4).lock("fifo");
          pool.execute(() -> {
            mine.lock();
            order.add(ticket);
            mine.unlock();
          });
          int queued = i + 1; // enqueue in a known order: wait until this one is parked
          await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
              .until(() -> SynchronizationTest.details(main, "fifo").contains(", " + queued + " waiting"));
        }
        int threadsWaiting = main.info().threads();
        assertTrue(threadsWaiting <= threadsBefore + QueueTest.THREAD_BOUND,
            "daemon threads went from " + threadsBefore + " to " + threadsWaiting + " with " + waiters + " waiters");
        lock.unlock();
        await().atMost(Duration.ofSeconds(60)).until(() -> order.size() == waiters);
        assertEquals(IntStream.range(0, waiters).boxed().collect(Collectors.toList()), order);
      } finally {
        pool.shutdownNow();
        conns.forEach(Manager::close);
      }
    }
  }

  @Test
  void nonOwnerCannotUnlockAcrossJvms() {
    SharedLock l = m.lock("mine-only");
    l.lock();
    try (Manager stranger = daemon.connect()) {
      assertThrows(IllegalMonitorStateException.class, () -> stranger.lock("mine-only").unlock());
    } finally {
      l.unlock();
    }
  }
}
