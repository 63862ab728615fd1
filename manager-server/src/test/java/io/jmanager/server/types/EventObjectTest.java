package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The event without a socket: a set answers every live waiter once; dead waits are dropped. */
class EventObjectTest {
  private final EventObject event = new EventObject();
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);

  @Test
  void set_answersEveryWaiterOnce_untimedWithNull_timedWithTrue() {
    assertInstanceOf(Pending.class, event.await(a));
    assertInstanceOf(Pending.class, event.await(b, Duration.ofSeconds(1)));

    event.set();
    assertNull(a.onlyAnswer());
    assertEquals(true, b.onlyAnswer());
    assertEquals(0, b.liveTimers());
    assertEquals(0, event.statusSize());

    event.set();
    assertEquals(2, a.answers + b.answers, "a second set answers nobody again");
  }

  @Test
  void awaitOnASetEvent_answersAtOnce_withoutParking() {
    event.set();
    assertNull(event.await(a));
    assertEquals(true, event.await(a, Duration.ofSeconds(1)));
    assertNull(a.parked);
    assertEquals(0, a.liveTimers());
  }

  @Test
  void timedAwaitThatExpires_answersFalseOnce_andALaterSetDoesNotAnswerAgain() {
    event.await(a, Duration.ofSeconds(1));
    event.await(b);
    a.fireTimer();
    assertEquals(false, a.onlyAnswer());
    assertEquals(1, event.statusSize());

    event.set();
    assertEquals(1, a.answers);
    assertNull(b.onlyAnswer());
  }

  @Test
  void clearAfterSet_theWaitersAtTheSetWereAnswered_laterAwaitsPark() {
    event.await(a);
    event.set();
    event.clear();
    assertNull(a.onlyAnswer());
    assertInstanceOf(Pending.class, event.await(b));
    assertEquals(0, b.answers);
  }

  @Test
  void waiterSessionClosedOrInterrupted_isDropped_theSetAnswersOnlyTheLiveOnes() {
    event.await(a);
    event.await(b, Duration.ofSeconds(1));
    event.await(c);

    a.closeSession(event);
    b.interrupt();
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertInstanceOf(InterruptedException.class, b.onlyAnswer());
    assertEquals(0, b.liveTimers());
    assertEquals(1, event.statusSize());

    event.set();
    assertNull(c.onlyAnswer());
    assertEquals(2, a.answers + b.answers);
  }
}
