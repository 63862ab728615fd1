package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The condition without a socket: signals wake awaiters in order, and every await (signalled,
 * timed out, interrupted) answers only once it holds the lock again.
 */
class ConditionObjectTest {
  private final ConditionObject cond = new ConditionObject();
  private final FakeContext signaller = new FakeContext(1);
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);

  @Test
  void signal_wakesTheOldestAwaiter_whichAnswersOnceItHoldsTheLockAgain() {
    await(a);
    await(b);
    assertNull(cond.lock(signaller));
    cond.signal(signaller);
    assertEquals(0, a.answers, "the signaller still holds the lock");

    cond.unlock(signaller);
    assertNull(a.onlyAnswer());
    assertEquals(0, b.answers);
    assertEquals(1, cond.statusSize(), "b still awaits a signal");
    assertThrows(IllegalMonitorStateException.class, () -> cond.unlock(signaller));
    cond.unlock(a);
  }

  @Test
  void signalAll_awaitersRegainTheLockInAwaitOrder_oneAtEachUnlock() {
    await(a);
    await(b);
    await(c);
    cond.lock(signaller);
    cond.signalAll(signaller);
    assertEquals(0, cond.statusSize());

    cond.unlock(signaller);
    assertNull(a.onlyAnswer());
    assertEquals(0, b.answers + c.answers);
    cond.unlock(a);
    assertNull(b.onlyAnswer());
    assertEquals(0, c.answers);
    cond.unlock(b);
    assertNull(c.onlyAnswer());
  }

  @Test
  void await_releasesEveryHold_andTakesThemAllBack() {
    cond.lock(a);
    cond.lock(a);
    cond.await(a);
    assertNull(cond.lock(signaller), "await released both holds");
    cond.signal(signaller);
    cond.unlock(signaller);
    assertNull(a.onlyAnswer());

    cond.lock(b);
    cond.unlock(a);
    assertEquals(0, b.answers, "a held the lock twice again");
    cond.unlock(a);
    assertNull(b.onlyAnswer());
  }

  @Test
  void timedAwaitThatExpires_answersFalseOnceItHoldsTheLock_andTheSignalGoesToTheNext() {
    cond.lock(a);
    cond.await(a, Duration.ofSeconds(1));
    await(b);
    cond.lock(signaller);

    a.fireTimer();
    assertEquals(0, a.answers, "the signaller holds the lock");
    cond.signal(signaller);
    cond.unlock(signaller);
    assertEquals(false, a.onlyAnswer());
    assertEquals(0, b.answers, "a queued for the lock first");

    cond.unlock(a);
    assertNull(b.onlyAnswer());
    assertEquals(1, a.answers);
  }

  @Test
  void timedAwaitThatExpiresOnAFreeLock_answersFalseAtOnce_holdingIt() {
    cond.lock(a);
    cond.await(a, Duration.ofSeconds(1));
    a.fireTimer();
    assertEquals(false, a.onlyAnswer());
    cond.lock(b);
    assertEquals(0, b.answers);
    cond.unlock(a);
    assertNull(b.onlyAnswer());
  }

  @Test
  void timedAwaitSignalled_answersTrue_andCancelsItsTimer() {
    cond.lock(a);
    cond.await(a, Duration.ofSeconds(1));
    cond.lock(signaller);
    cond.signal(signaller);
    assertEquals(0, a.liveTimers());
    cond.unlock(signaller);
    assertEquals(true, a.onlyAnswer());
  }

  @Test
  void interruptedAwaiter_failsWithInterruptedOnlyOnceItHoldsTheLock() {
    await(a);
    await(b);
    cond.lock(signaller);

    a.interrupt();
    assertEquals(0, a.answers, "the signaller holds the lock");
    cond.signal(signaller);
    cond.unlock(signaller);
    assertInstanceOf(InterruptedException.class, a.onlyAnswer());
    assertEquals(0, b.answers, "a holds the lock, as Condition.await throws holding it");

    cond.unlock(a);
    assertNull(b.onlyAnswer());
  }

  @Test
  void interruptAfterTheSignal_theAwaitReturnsNormally_asConditionAwaitDoes() {
    await(a);
    cond.lock(signaller);
    cond.signal(signaller);
    a.interrupt();
    cond.unlock(signaller);
    assertNull(a.onlyAnswer());
  }

  @Test
  void awaiterSessionCloses_itsWaitIsDropped_andTheSignalGoesToTheNext() {
    await(a);
    await(b);
    a.closeSession(cond);
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertEquals(1, cond.statusSize());

    cond.lock(signaller);
    cond.signal(signaller);
    cond.unlock(signaller);
    assertNull(b.onlyAnswer());
    assertEquals(1, a.answers);
  }

  @Test
  void holderSessionCloses_theLockPassesToTheSignalledAwaiter() {
    await(a);
    cond.lock(signaller);
    cond.signal(signaller);
    signaller.closeSession(cond);
    assertNull(a.onlyAnswer());
    assertThrows(IllegalMonitorStateException.class, () -> cond.signal(signaller));
    cond.signal(a);
  }

  @Test
  void awaitOrSignalWithoutTheLock_throws_andParksNothing() {
    assertThrows(IllegalMonitorStateException.class, () -> cond.await(a));
    assertThrows(IllegalMonitorStateException.class, () -> cond.signal(a));
    assertThrows(IllegalMonitorStateException.class, () -> cond.signalAll(a));
    cond.lock(b);
    assertThrows(IllegalMonitorStateException.class, () -> cond.await(a, Duration.ofSeconds(1)));
    assertThrows(IllegalMonitorStateException.class, () -> cond.await(b.thread(2)));
    assertThrows(IllegalMonitorStateException.class, () -> cond.signal(b.thread(2)));
    assertThrows(IllegalMonitorStateException.class, () -> cond.unlock(a));
    assertNull(a.parked);
    assertEquals(0, a.liveTimers());
    assertEquals(0, cond.statusSize());
  }

  @Test
  void timedAwaitAbandoned_cancelsItsTimer() {
    cond.lock(a);
    cond.await(a, Duration.ofDays(1));
    a.closeSession(cond);
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertEquals(0, a.liveTimers());
  }

  /** {@code ctx} takes the lock and awaits a signal untimed. */
  private void await(FakeContext ctx) {
    assertNull(cond.lock(ctx));
    assertInstanceOf(Pending.class, cond.await(ctx));
  }
}
