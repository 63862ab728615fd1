package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedBarrier;
import io.jmanager.client.SharedCondition;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedSemaphore;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Locks, semaphores, conditions, events and barriers within one test JVM (several connections). */
class SynchronizationTest extends DaemonTestBase {

  static String details(String name) {
    return details(m, name);
  }

  /** What status shows for {@code name}: holders, waiters. */
  static String details(Manager via, String name) {
    return via.info().objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().details();
  }

  @Test
  void lock_isNotReentrant_andHasAnOwner() throws Exception {
    SharedLock lock = m.lock("plain");
    lock.lock();
    assertFalse(lock.tryLock(), "a Lock is not reentrant");
    assertFalse(other.lock("plain").tryLock());
    IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, () -> other.lock("plain").unlock());
    assertTrue(e.getMessage().contains("held by session"), e.getMessage());
    assertTrue(details("plain").contains("held by session"), details("plain"));
    CompletableFuture<Void> otherThread = CompletableFuture.runAsync(() -> assertThrows(IllegalMonitorStateException.class, lock::unlock));
    otherThread.get(5, TimeUnit.SECONDS); // same connection, other thread: not the owner either
    lock.unlock();
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    assertTrue(other.lock("plain").tryLock(1, TimeUnit.SECONDS));
    assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));
    other.lock("plain").unlock();
  }

  @Test
  void rlock_isReentrant_perThread() {
    SharedLock r = m.rlock("re");
    r.lock();
    r.lock();
    assertTrue(r.tryLock());
    r.unlock();
    r.unlock();
    assertFalse(other.rlock("re").tryLock());
    r.unlock();
    assertTrue(other.rlock("re").tryLock());
    assertThrows(IllegalMonitorStateException.class, r::unlock);
    other.rlock("re").unlock();
  }

  @Test
  void interruptedLockInterruptibly_leavesNoPhantomWaiter() throws Exception {
    SharedLock lock = m.lock("phantom");
    lock.lock();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        other.lock("phantom").lockInterruptibly();
        outcome.set(new AssertionError("acquired"));
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    waiter.start();
    await().until(() -> details("phantom").contains("1 waiting"));
    waiter.interrupt();
    waiter.join(5000);
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    await().until(() -> details("phantom").contains("0 waiting"));
    CompletableFuture<Boolean> live = CompletableFuture.supplyAsync(() -> {
      try {
        return other.lock("phantom").tryLock(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return false;
      }
    });
    await().until(() -> details("phantom").contains("1 waiting"));
    lock.unlock(); // granted to the live waiter, not the cancelled one
    assertTrue(live.get(5, TimeUnit.SECONDS));
    assertTrue(details("phantom").contains("held by session"));
  }

  @Test
  void semaphore_permitsAndBoundedOverRelease() throws Exception {
    SharedSemaphore s = m.semaphore("sem", 2);
    assertTrue(s.tryAcquire(2));
    assertFalse(other.semaphore("sem", 2).tryAcquire());
    assertFalse(other.semaphore("sem", 2).tryAcquire(50, TimeUnit.MILLISECONDS));
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
      try {
        other.semaphore("sem", 2).acquire();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().until(() -> details("sem").endsWith(", 1 waiting")); // parked before the release: a hand-off
    assertFalse(waiting.isDone());
    s.release();
    waiting.get(5, TimeUnit.SECONDS);
    assertEquals(0, s.availablePermits());
    assertTrue(details("sem").endsWith(", 0 waiting"), details("sem"));
    s.release(3); // a plain semaphore may grow, like java.util.concurrent.Semaphore
    assertEquals(3, s.availablePermits());
    SharedSemaphore b = m.boundedSemaphore("bounded", 1);
    b.acquire();
    b.release();
    IllegalStateException e = assertThrows(IllegalStateException.class, b::release);
    assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> m.semaphore("sem", 5));
  }

  @Test
  void condition_needsItsLock_andAwaitTimesOut() throws Exception {
    SharedCondition c = m.condition("cond");
    assertThrows(IllegalMonitorStateException.class, c::signal);
    assertThrows(IllegalMonitorStateException.class, () -> c.await(Duration.ofMillis(10)));
    c.lock();
    try {
      long start = System.nanoTime();
      assertFalse(c.await(Duration.ofMillis(200)));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190));
      c.signal(); // nobody waiting: a no-op
    } finally {
      c.unlock();
    }
  }

  @Test
  void condition_signalWakesAWaiterOnAnotherConnection() throws Exception {
    SharedCondition mine = m.condition("handoff-cond");
    CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
      SharedCondition c = other.condition("handoff-cond");
      c.lock();
      try {
        return c.await(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        return false;
      } finally {
        c.unlock();
      }
    });
    await().until(() -> details("handoff-cond").contains("1 awaiting"));
    mine.lock();
    mine.signal();
    // signalled: it now waits for the lock, which this thread holds, so it cannot have returned
    assertTrue(details("handoff-cond").endsWith(", 1 waiting; 0 awaiting a signal"), details("handoff-cond"));
    assertFalse(woken.isDone());
    mine.unlock();
    assertTrue(woken.get(5, TimeUnit.SECONDS));
  }

  @Test
  void event_setWakesWaiters() throws Exception {
    SharedEvent e = m.event("go");
    assertFalse(e.isSet());
    assertFalse(e.await(Duration.ofMillis(50)));
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return other.event("go").await(Duration.ofSeconds(10));
      } catch (InterruptedException ex) {
        return false;
      }
    });
    await().until(() -> details("go").contains("1 waiting"));
    e.set();
    assertTrue(waiter.get(5, TimeUnit.SECONDS));
    e.await(); // already set: returns at once
    e.clear();
    assertFalse(other.event("go").isSet());
  }

  @Test
  void barrier_timeoutBreaksItForTheOthers() throws Exception {
    SharedBarrier b = m.barrier("trio", 3);
    assertEquals(3, b.parties());
    CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
      try {
        other.barrier("trio", 3).await();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    await().until(() -> b.numberWaiting() == 1);
    assertThrows(TimeoutException.class, () -> b.await(Duration.ofMillis(100)));
    assertTrue(first.get(5, TimeUnit.SECONDS) instanceof BrokenBarrierException);
    assertTrue(b.isBroken());
    assertThrows(BrokenBarrierException.class, b::await);
    b.reset();
    assertFalse(b.isBroken());
    assertThrows(IllegalStateException.class, () -> m.barrier("trio", 4));
  }

  @Test
  void interruptedAwait_holdsTheLockAgain_andLeavesNoPhantomWaiter() throws Exception {
    SharedCondition c = m.condition("interrupted-cv");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicReference<Boolean> heldAfter = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      SharedCondition mine = other.condition("interrupted-cv");
      mine.lock();
      try {
        mine.await();
      } catch (Throwable t) {
        outcome.set(t);
      } finally {
        try {
          mine.unlock(); // Condition.await re-acquires the lock before throwing
          heldAfter.set(true);
        } catch (IllegalMonitorStateException e) {
          heldAfter.set(false);
        }
      }
    });
    waiter.start();
    await().until(() -> details("interrupted-cv").contains("1 awaiting"));
    waiter.interrupt();
    waiter.join(5000);
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    assertEquals(Boolean.TRUE, heldAfter.get());
    assertTrue(details("interrupted-cv").contains("0 awaiting"));
    CompletableFuture<Boolean> live = CompletableFuture.supplyAsync(() -> {
      SharedCondition mine = other.condition("interrupted-cv");
      mine.lock();
      try {
        return mine.await(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        return false;
      } finally {
        mine.unlock();
      }
    });
    await().until(() -> details("interrupted-cv").contains("1 awaiting"));
    c.lock();
    c.signal(); // reaches the live waiter, not the interrupted one
    c.unlock();
    assertTrue(live.get(5, TimeUnit.SECONDS));
  }

  @Test
  void permitTakenByOneConnectionAndReleasedByAnother_isNotReturnedTwice() throws Exception {
    Manager a = daemon.connect();
    a.boundedSemaphore("handover", 1).acquire();
    other.boundedSemaphore("handover", 1).release(); // released by another process than took it
    a.close(); // a's acquisition was released already: nothing comes back
    await().until(() -> m.info().sessions().size() == 2);
    assertEquals(1, m.boundedSemaphore("handover", 1).availablePermits());
  }

  @Test
  void untimedTryAcquire_takesFreePermitsPastAQueuedWaiter() throws Exception {
    SharedSemaphore s = m.semaphore("barging", 3);
    CompletableFuture<Void> big = CompletableFuture.runAsync(() -> {
      try {
        other.semaphore("barging", 3).acquire(5);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().until(() -> details("barging").contains("1 waiting"));
    assertTrue(s.tryAcquire());
    assertFalse(s.tryAcquire(1, 10, TimeUnit.MILLISECONDS)); // a timed one queues behind it, fairly
    s.release(3);
    big.get(5, TimeUnit.SECONDS);
  }

  @Test
  void absurdTimeout_failsBeforeAnythingChanges() {
    SharedCondition c = m.condition("absurd");
    c.lock();
    assertThrows(ArithmeticException.class, () -> c.await(Duration.ofSeconds(Long.MAX_VALUE)));
    c.unlock(); // still held: the failed await did not release it
    assertThrows(NullPointerException.class, () -> m.lock("absurd-lock").tryLock(1, null));
    assertTrue(m.lock("absurd-lock").tryLock());
    m.lock("absurd-lock").unlock();
  }

  @Test
  void deletingAnObject_failsCallsParkedOnIt() throws Exception {
    SharedLock lock = m.lock("doomed");
    lock.lock();
    CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        other.lock("doomed").lockInterruptibly();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    await().until(() -> details("doomed").contains("1 waiting"));
    m.delete("doomed");
    Throwable t = waiter.get(5, TimeUnit.SECONDS);
    assertTrue(t instanceof IllegalStateException && t.getMessage().contains("deleted"), String.valueOf(t));
  }
}
