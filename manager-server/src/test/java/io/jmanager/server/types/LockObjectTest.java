package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lock and rlock without a socket: FIFO grants, timeouts, abandoned waits and holds, owners. */
class LockObjectTest {
  private final FakeContext holder = new FakeContext(1);
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);

  @Test
  void parkedLockers_getTheLockInArrivalOrder_oneAtEachUnlock() {
    LockObject lock = new LockObject(false);
    assertNull(lock.lock(holder));
    assertInstanceOf(Pending.class, lock.lock(a));
    assertInstanceOf(Pending.class, lock.lock(b));
    assertInstanceOf(Pending.class, lock.lock(c));

    lock.unlock(holder);
    assertNull(a.onlyAnswer());
    assertTrue(lock.isHeldBy(Owner.of(a)));
    assertEquals(0, b.answers + c.answers);

    lock.unlock(a);
    assertNull(b.onlyAnswer());
    assertTrue(lock.isHeldBy(Owner.of(b)));
    assertEquals(0, c.answers);

    lock.unlock(b);
    assertNull(c.onlyAnswer());
    lock.unlock(c);
    assertEquals(3, a.answers + b.answers + c.answers, "no one answered twice");
    assertTrue(lock.tryLock(new FakeContext(5)), "free once the last waiter unlocked");
  }

  @Test
  void timedWaitThatExpires_answersFalseOnce_andTheUnlockPassesItOver() {
    LockObject lock = new LockObject(false);
    assertTrue(lock.tryLock(holder));
    lock.tryLock(a, 1, TimeUnit.SECONDS);
    lock.lock(b);

    a.fireTimer();
    assertEquals(false, a.onlyAnswer());
    assertEquals(1, lock.statusSize(), "only b still waits");
    assertTrue(lock.isHeldBy(Owner.of(holder)));

    lock.unlock(holder);
    assertNull(b.onlyAnswer());
    assertEquals(1, a.answers);
    assertFalse(lock.isHeldBy(Owner.of(a)));
  }

  @Test
  void timedWaitGranted_answersTrue_andCancelsItsTimer() {
    LockObject lock = new LockObject(false);
    assertTrue(lock.tryLock(holder));
    lock.tryLock(a, 1, TimeUnit.SECONDS);
    assertEquals(1, a.liveTimers());

    lock.unlock(holder);
    assertEquals(true, a.onlyAnswer());
    assertEquals(0, a.liveTimers());
    assertTrue(lock.isHeldBy(Owner.of(a)));
  }

  @Test
  void zeroTimeoutOnAHeldLock_answersFalseAtOnce_andLeavesNoWaiter() {
    LockObject lock = new LockObject(false);
    assertTrue(lock.tryLock(holder));
    Pending p = (Pending) lock.tryLock(a, 0, TimeUnit.SECONDS);
    assertFalse(p.isWaiting());
    assertEquals(false, a.onlyAnswer());
    assertEquals(0, lock.statusSize());
    lock.unlock(holder);
    assertTrue(lock.tryLock(b), "the unlock left it free");
  }

  @Test
  void holderSessionCloses_itsOtherWaitsEnd_andTheLockPassesToTheNextWaiter() {
    LockObject lock = new LockObject(false);
    FakeContext holderThread2 = holder.thread(2);
    assertTrue(lock.tryLock(holder));
    lock.lock(holderThread2);
    lock.lock(a);

    holder.closeSession(lock);
    assertInstanceOf(IllegalStateException.class, holderThread2.onlyAnswer());
    assertNull(a.onlyAnswer());
    assertTrue(lock.isHeldBy(Owner.of(a)));
    assertEquals(0, lock.statusSize());
  }

  @Test
  void waiterSessionCloses_itsWaitIsDropped_theHolderKeepsTheLock_theNextWaiterGetsIt() {
    LockObject lock = new LockObject(false);
    assertTrue(lock.tryLock(holder));
    lock.lock(a);
    lock.lock(b);

    a.closeSession(lock);
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertTrue(lock.isHeldBy(Owner.of(holder)));

    lock.unlock(holder);
    assertNull(b.onlyAnswer());
    assertEquals(1, a.answers);
  }

  @Test
  void interruptedWaiter_answersInterruptedOnce_andIsSkipped() {
    LockObject lock = new LockObject(true);
    assertTrue(lock.tryLock(holder));
    lock.tryLock(a, 1, TimeUnit.SECONDS);
    lock.lock(b);

    a.interrupt();
    assertInstanceOf(InterruptedException.class, a.onlyAnswer());
    assertEquals(0, a.liveTimers(), "the interrupt cancelled the timeout");

    lock.unlock(holder);
    assertNull(b.onlyAnswer());
    assertEquals(1, a.answers);
  }

  @Test
  void unlockByAnotherThread_orOfAFreeLock_throws_andChangesNothing() {
    LockObject lock = new LockObject(false);
    assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(holder));
    assertTrue(lock.tryLock(holder));
    assertFalse(lock.tryLock(holder), "a lock is not reentrant");
    assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(a));
    assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(holder.thread(2)));
    assertTrue(lock.isHeldBy(Owner.of(holder)));
  }

  @Test
  void rlock_needsAsManyUnlocksAsLocks_beforeTheNextWaiterGetsIt() {
    LockObject rlock = new LockObject(true);
    assertNull(rlock.lock(holder));
    assertNull(rlock.lock(holder));
    assertTrue(rlock.tryLock(holder));
    rlock.lock(a);

    rlock.unlock(holder);
    rlock.unlock(holder);
    assertEquals(0, a.answers);
    assertTrue(rlock.isHeldBy(Owner.of(holder)));

    rlock.unlock(holder);
    assertNull(a.onlyAnswer());
    assertTrue(rlock.isHeldBy(Owner.of(a)));
  }

  @Test
  void rlock_holderSessionCloses_releasesEveryHold() {
    LockObject rlock = new LockObject(true);
    for (int i = 0; i < 3; i++) {
      assertTrue(rlock.tryLock(holder));
    }
    rlock.lock(a);

    holder.closeSession(rlock);
    assertNull(a.onlyAnswer());
    assertTrue(rlock.isHeldBy(Owner.of(a)));
    assertThrows(IllegalMonitorStateException.class, () -> rlock.unlock(holder));
  }

  @Test
  void rlock_anotherThreadOfTheHoldersSession_isNotTheOwner() {
    LockObject rlock = new LockObject(true);
    FakeContext holderThread2 = holder.thread(2);
    assertTrue(rlock.tryLock(holder));
    assertFalse(rlock.tryLock(holderThread2));
    assertThrows(IllegalMonitorStateException.class, () -> rlock.unlock(holderThread2));

    rlock.lock(holderThread2);
    rlock.unlock(holder);
    assertNull(holderThread2.onlyAnswer());
    assertTrue(rlock.isHeldBy(Owner.of(holderThread2)));
  }
}
