package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The barrier without a socket: its timeout verdicts, taken under its own lock. */
class BarrierObjectTest {
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
      ta.join();
      tb.join();
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
