package io.jmanager.server.types;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A timed wait whose timer fires while a grant is being made: the timer decides first (its answer
 * is the timeout) and only then takes the object's lock to remove its waiter, so a grant made in
 * between meets a waiter that can no longer take anything. These tests freeze exactly that moment:
 * the test thread holds the object's lock, the timer runs on another thread until it blocks on that
 * lock, and the grant is made then. Whatever was granted must stay with the object or go to the
 * next live waiter, never to the timed-out one, and never twice.
 */
class TimedWaitsTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void semaphore_permitsReleasedToATimedOutWaiter_goToTheNextOrStay() throws Exception {
    SemaphoreObject sem = new SemaphoreObject(0, false);
    FakeContext holder = new FakeContext(1);
    FakeContext late = new FakeContext(2);
    FakeContext next = new FakeContext(3);
    sem.tryAcquire(late, 2, SECOND, TimeUnit.NANOSECONDS);
    sem.acquire(next, 1);
    Thread timer;
    synchronized (sem) {
      timer = fireUntilBlocked(late, sem);
      sem.release(holder, 2);
      assertEquals(1, sem.availablePermits(), "one permit to the next waiter, one kept");
    }
    FakeContext.join(timer);
    assertEquals(false, late.answer);
    assertNull(next.answer);
    assertEquals(1, next.answers);
    assertEquals(1, sem.availablePermits());
  }

  @Test
  void lock_releasedToATimedOutWaiter_passesToTheNextLiveOne() throws Exception {
    LockObject lock = new LockObject(false);
    FakeContext holder = new FakeContext(1);
    FakeContext late = new FakeContext(2);
    FakeContext next = new FakeContext(3);
    assertTrue(lock.tryLock(holder));
    lock.tryLock(late, SECOND, TimeUnit.NANOSECONDS);
    lock.lock(next);
    Thread timer;
    synchronized (lock) {
      timer = fireUntilBlocked(late, lock);
      lock.unlock(holder);
    }
    FakeContext.join(timer);
    assertEquals(false, late.answer);
    assertEquals(1, next.answers);
    assertTrue(lock.isHeldBy(Owner.of(next)));
    assertFalse(lock.isHeldBy(Owner.of(late)));
  }

  @Test
  void lock_releasedToATimedOutOnlyWaiter_isFree() throws Exception {
    LockObject lock = new LockObject(true);
    FakeContext holder = new FakeContext(1);
    FakeContext late = new FakeContext(2);
    assertTrue(lock.tryLock(holder));
    lock.tryLock(late, SECOND, TimeUnit.NANOSECONDS);
    Thread timer;
    synchronized (lock) {
      timer = fireUntilBlocked(late, lock);
      lock.unlock(holder);
    }
    FakeContext.join(timer);
    assertEquals(false, late.answer);
    assertTrue(lock.tryLock(new FakeContext(3)), "nobody holds it");
  }

  @Test
  void queue_itemPutForATimedOutTaker_staysInTheQueue() throws Exception {
    QueueObject q = QueueObject.unbounded();
    FakeContext late = new FakeContext(2);
    q.poll(late, SECOND, TimeUnit.NANOSECONDS);
    Thread timer;
    synchronized (q) {
      timer = fireUntilBlocked(late, q);
      assertTrue(q.offer("x"));
    }
    FakeContext.join(timer);
    assertNull(late.answer);
    assertEquals(List.of("x"), q.copy());
  }

  @Test
  void queue_itemGivenBackToATimedOutTaker_goesToTheHead() throws Exception {
    QueueObject q = QueueObject.unbounded();
    FakeContext late = new FakeContext(2);
    q.poll(late, SECOND, TimeUnit.NANOSECONDS);
    q.offer("later"); // went to the taker... which never got it: its connection closed
    assertEquals("later", late.answer);
    FakeContext late2 = new FakeContext(3);
    q.poll(late2, SECOND, TimeUnit.NANOSECONDS);
    Thread timer;
    synchronized (q) {
      timer = fireUntilBlocked(late2, q);
      q.giveBack(List.of("later"));
    }
    FakeContext.join(timer);
    assertNull(late2.answer);
    assertEquals(List.of("later"), q.copy());
  }

  @Test
  void queue_roomFreedForATimedOutPutter_itsItemStaysOut() throws Exception {
    QueueObject q = new QueueObject(1);
    q.offer("a");
    FakeContext late = new FakeContext(2);
    q.offer(late, "b", SECOND, TimeUnit.NANOSECONDS);
    Thread timer;
    synchronized (q) {
      timer = fireUntilBlocked(late, q);
      assertEquals("a", q.poll());
    }
    FakeContext.join(timer);
    assertEquals(false, late.answer);
    assertEquals(List.of(), q.copy(), "the timed-out offer's item was never accepted");
  }

  @Test
  void joinableQueue_taskDoneForATimedOutJoiner_answersItOnce() throws Exception {
    JoinableQueueObject q = new JoinableQueueObject(Integer.MAX_VALUE);
    q.offer("a");
    FakeContext late = new FakeContext(2);
    q.join(late, Duration.ofSeconds(1));
    Thread timer;
    synchronized (q) {
      timer = fireUntilBlocked(late, q);
      q.poll();
      q.taskDone();
    }
    FakeContext.join(timer);
    assertEquals(false, late.answer);
    assertEquals(1, late.answers);
  }

  /**
   * Runs {@code waiter}'s timeout on a new thread while the caller holds {@code monitor}, and
   * returns once that thread has decided (its wait is answered) and is blocked on the monitor, in
   * the cleanup that removes the waiter.
   */
  private static Thread fireUntilBlocked(FakeContext waiter, Object monitor) {
    assertTrue(Thread.holdsLock(monitor));
    Pending p = waiter.parked;
    Thread t = new Thread(waiter.timer(), "timer");
    t.start();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !p.isWaiting() && t.getState() == Thread.State.BLOCKED);
    return t;
  }
}
