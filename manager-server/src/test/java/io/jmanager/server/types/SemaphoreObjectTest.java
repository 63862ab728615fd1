package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The semaphore without a socket: strictly FIFO permits, timeouts, abandoned waits and holds. */
class SemaphoreObjectTest {
  private final FakeContext releaser = new FakeContext(1);
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);

  @Test
  void permitsGoToTheHeadWaiterFirst_aSmallRequestBehindABigOneWaits() {
    SemaphoreObject sem = new SemaphoreObject(0, false);
    assertInstanceOf(Pending.class, sem.acquire(a, 3));
    assertInstanceOf(Pending.class, sem.acquire(b, 1));

    sem.release(releaser, 1);
    assertEquals(0, a.answers + b.answers);
    assertEquals(1, sem.availablePermits());

    sem.release(releaser, 2);
    assertNull(a.onlyAnswer());
    assertEquals(0, b.answers);
    assertEquals(0, sem.availablePermits());

    sem.release(releaser, 1);
    assertNull(b.onlyAnswer());
    assertEquals(0, sem.availablePermits());
  }

  @Test
  void acquireWithWaitersQueued_queuesBehindThem_thoughPermitsWouldSuffice() {
    SemaphoreObject sem = new SemaphoreObject(2, false);
    sem.acquire(a, 3);
    assertInstanceOf(Pending.class, sem.acquire(b, 1));
    assertInstanceOf(Pending.class, sem.tryAcquire(c, 1, 1, TimeUnit.SECONDS));
    assertEquals(2, sem.availablePermits());
    assertEquals(0, a.answers + b.answers + c.answers);
  }

  @Test
  void untimedTryAcquire_takesPastTheQueue_asSemaphoreTryAcquireDoes() {
    SemaphoreObject sem = new SemaphoreObject(2, false);
    sem.acquire(a, 3);
    assertTrue(sem.tryAcquire(b, 2));
    assertFalse(sem.tryAcquire(c));
    assertEquals(0, sem.availablePermits());
    assertEquals(0, a.answers);
  }

  @Test
  void headWaiterTimesOut_answersFalseOnce_andTheSmallerOnesBehindItAreGranted() {
    SemaphoreObject sem = new SemaphoreObject(2, false);
    sem.tryAcquire(a, 3, 1, TimeUnit.SECONDS);
    sem.acquire(b, 1);
    sem.acquire(c, 1);

    a.fireTimer();
    assertEquals(false, a.onlyAnswer());
    assertNull(b.onlyAnswer());
    assertNull(c.onlyAnswer());
    assertEquals(0, sem.availablePermits());

    sem.release(b, 1);
    assertEquals(1, sem.availablePermits(), "nothing is owed to the timed-out waiter");
    assertEquals(1, a.answers);
  }

  @Test
  void headWaiterInterrupted_answersInterruptedOnce_andTheOneBehindItIsGranted() {
    SemaphoreObject sem = new SemaphoreObject(1, false);
    sem.acquire(a, 2);
    sem.tryAcquire(b, 1, 1, TimeUnit.SECONDS);

    a.interrupt();
    assertInstanceOf(InterruptedException.class, a.onlyAnswer());
    assertEquals(true, b.onlyAnswer());
    assertEquals(0, b.liveTimers(), "the grant cancelled b's timeout");
    assertEquals(0, sem.availablePermits());
  }

  @Test
  void sessionCloses_itsWaitsEnd_itsPermitsComeBack_andGoToTheHeadWaiter() {
    SemaphoreObject sem = new SemaphoreObject(3, false);
    FakeContext aThread2 = a.thread(2);
    assertNull(sem.acquire(a, 2));
    sem.acquire(aThread2, 2);
    sem.acquire(b, 3);

    a.closeSession(sem);
    assertInstanceOf(IllegalStateException.class, aThread2.onlyAnswer());
    assertNull(b.onlyAnswer());
    assertEquals(0, sem.availablePermits());

    b.closeSession(sem);
    assertEquals(3, sem.availablePermits());
  }

  @Test
  void permitsReleasedByAnotherSession_areNotReturnedAgainWhenTheTakerCloses() {
    SemaphoreObject sem = new SemaphoreObject(2, false);
    assertTrue(sem.tryAcquire(a, 2));
    sem.release(b, 2); // a semaphore has no owner: anyone may release
    assertEquals(2, sem.availablePermits());

    a.closeSession(sem);
    assertEquals(2, sem.availablePermits());
  }

  @Test
  void boundedSemaphore_refusesAReleaseAboveItsPermits_andChangesNothing() {
    SemaphoreObject sem = new SemaphoreObject(1, true);
    assertThrows(IllegalStateException.class, () -> sem.release(a));
    assertTrue(sem.tryAcquire(a));
    sem.release(b);
    assertThrows(IllegalStateException.class, () -> sem.release(b));
    assertEquals(1, sem.availablePermits());
    a.closeSession(sem);
    assertEquals(1, sem.availablePermits());
  }
}
