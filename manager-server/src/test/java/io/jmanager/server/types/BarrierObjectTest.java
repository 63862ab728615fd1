package io.jmanager.server.types;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The barrier without a socket: arrival indices, and how a timeout, an interrupt or a closed
 * session breaks it for the other parties (verdicts taken under its own lock).
 */
class BarrierObjectTest {
  @Test
  void partiesAnswerTheirArrivalIndex_andTheBarrierStartsAFreshRound() throws Exception {
    BarrierObject barrier = new BarrierObject(3);
    FakeContext a = new FakeContext(1);
    FakeContext b = new FakeContext(2);
    assertInstanceOf(Pending.class, barrier.await(a));
    assertInstanceOf(Pending.class, barrier.await(b, Duration.ofSeconds(1)));
    assertEquals(2, barrier.numberWaiting());

    assertEquals(0, barrier.await(new FakeContext(3)));
    assertEquals(2, a.onlyAnswer());
    assertEquals(1, b.onlyAnswer());
    assertEquals(0, b.liveTimers());
    assertEquals(0, barrier.numberWaiting());

    FakeContext next = new FakeContext(4);
    barrier.await(next);
    assertEquals(1, barrier.numberWaiting());
    assertEquals(0, next.answers);
    assertFalse(barrier.isBroken());
  }

  @Test
  void onePartyTimesOut_itGetsTimeout_theOthersBroken_laterArrivalsRefusedUntilReset()
      throws Exception {
    BarrierObject barrier = new BarrierObject(3);
    FakeContext a = new FakeContext(1);
    FakeContext b = new FakeContext(2);
    barrier.await(a, Duration.ofSeconds(1));
    barrier.await(b);

    a.fireTimer();
    assertInstanceOf(TimeoutException.class, a.onlyAnswer());
    assertInstanceOf(BrokenBarrierException.class, b.onlyAnswer());
    assertTrue(barrier.isBroken());
    FakeContext late = new FakeContext(3);
    assertThrows(BrokenBarrierException.class, () -> barrier.await(late));
    assertNull(late.parked);
    assertEquals(0, barrier.numberWaiting());

    barrier.reset();
    assertFalse(barrier.isBroken());
    barrier.await(late);
    assertEquals(0, late.answers);
    assertEquals(1, barrier.numberWaiting());
  }

  @Test
  void waitingPartysSessionCloses_theOthersFindItBroken() throws Exception {
    BarrierObject barrier = new BarrierObject(3);
    FakeContext a = new FakeContext(1);
    FakeContext b = new FakeContext(2);
    barrier.await(a, Duration.ofSeconds(1));
    barrier.await(b, Duration.ofSeconds(1));

    a.closeSession(barrier);
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertInstanceOf(BrokenBarrierException.class, b.onlyAnswer());
    assertEquals(0, a.liveTimers() + b.liveTimers());
    assertTrue(barrier.isBroken());
  }

  @Test
  void interruptedParty_getsInterrupted_theOthersFindItBroken() throws Exception {
    BarrierObject barrier = new BarrierObject(3);
    FakeContext a = new FakeContext(1);
    FakeContext b = new FakeContext(2);
    barrier.await(a);
    barrier.await(b);

    a.interrupt();
    assertInstanceOf(InterruptedException.class, a.onlyAnswer());
    assertInstanceOf(BrokenBarrierException.class, b.onlyAnswer());
    assertTrue(barrier.isBroken());
  }

  @Test
  void partyLeavingAsTheLastArrives_theLastFindsItBroken() throws Exception {
    BarrierObject barrier = new BarrierObject(3);
    FakeContext a = new FakeContext(1);
    FakeContext b = new FakeContext(2);
    barrier.await(a);
    barrier.await(b);
    Thread leaving;
    synchronized (barrier) {
      // a's wait is abandoned; its cleanup (which takes the barrier's lock) has not run yet
      leaving = new Thread(a::interrupt, "cancel");
      leaving.start();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> !a.parked.isWaiting() && leaving.getState() == Thread.State.BLOCKED);
      assertThrows(BrokenBarrierException.class, () -> barrier.await(new FakeContext(3)));
    }
    FakeContext.join(leaving);
    assertInstanceOf(InterruptedException.class, a.onlyAnswer());
    assertInstanceOf(BrokenBarrierException.class, b.onlyAnswer());
    assertTrue(barrier.isBroken());
  }

  @Test
  void negativeTimeout_timesOutAtOnce() throws Exception {
    BarrierObject barrier = new BarrierObject(2);
    FakeContext a = new FakeContext(1);
    barrier.await(a, Duration.ofMillis(-1));
    if (a.liveTimers() == 1) {
      a.fireTimer(); // a timer due at once is as good as an answer at once
    }
    assertInstanceOf(TimeoutException.class, a.onlyAnswer());
    assertTrue(barrier.isBroken());
  }

  @Test
  void partiesTimingOutAtOnce_exactlyOneGetsTimeout_theOthersFindItBroken() throws Exception {
    for (int round = 0; round < 500; round++) {
      BarrierObject barrier = new BarrierObject(3);
      FakeContext a = new FakeContext();
      FakeContext b = new FakeContext();
      barrier.await(a, Duration.ofMillis(1));
      barrier.await(b, Duration.ofMillis(1));
      CyclicBarrier together = new CyclicBarrier(2);
      Thread ta = new Thread(() -> fire(together, a.scheduled.get(0)));
      Thread tb = new Thread(() -> fire(together, b.scheduled.get(0)));
      ta.start();
      tb.start();
      FakeContext.join(ta);
      FakeContext.join(tb);
      long timeouts = List.of(a.answer, b.answer).stream().filter(TimeoutException.class::isInstance).count();
      long broken = List.of(a.answer, b.answer).stream().filter(BrokenBarrierException.class::isInstance).count();
      assertEquals(1, timeouts, "round " + round + ": " + a.answer + ", " + b.answer);
      assertEquals(1, broken, "round " + round);
      assertEquals(true, barrier.isBroken());
    }
  }

  @Test
  void aTimeoutAfterTheBarrierTripped_changesNothing() throws Exception {
    BarrierObject barrier = new BarrierObject(2);
    FakeContext a = new FakeContext();
    barrier.await(a, Duration.ofMillis(1));
    assertEquals(0, barrier.await(new FakeContext()));
    a.scheduled.get(0).run(); // the timer fires late
    assertEquals(1, a.answer);
    assertEquals(false, barrier.isBroken());
    assertInstanceOf(Integer.class, a.answer);
  }

  private static void fire(CyclicBarrier together, Runnable timer) {
    try {
      together.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    timer.run();
  }
}
