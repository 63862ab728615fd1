package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The joinable queue's join without a socket: which items count as tasks, and who is answered. */
class JoinableQueueObjectTest {
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);
  private final FakeContext d = new FakeContext(5);

  @Test
  void join_parksUntilEveryItemIsDone_thenAnswersEveryJoinerOnce() {
    JoinableQueueObject q = new JoinableQueueObject(Integer.MAX_VALUE);
    q.offer("x");
    q.offer("y");
    assertInstanceOf(Pending.class, q.join(a));
    assertInstanceOf(Pending.class, q.join(b, Duration.ofSeconds(1)));

    q.poll();
    q.taskDone();
    assertEquals(0, a.answers + b.answers);
    q.poll();
    q.taskDone();
    assertNull(a.onlyAnswer());
    assertEquals(true, b.onlyAnswer());
    assertEquals(0, b.liveTimers());
  }

  @Test
  void joinWithNothingUnfinished_answersAtOnce_withoutParking() {
    JoinableQueueObject q = new JoinableQueueObject(Integer.MAX_VALUE);
    assertNull(q.join(a));
    assertEquals(true, q.join(a, Duration.ofSeconds(1)));
    assertNull(a.parked);
    assertEquals(0, a.liveTimers());
  }

  @Test
  void parkedPut_becomesATaskWhenItEnters_andJoinWaitsForIt() {
    JoinableQueueObject q = new JoinableQueueObject(1);
    q.offer("x");
    q.put(a, "y");
    assertEquals(1, q.unfinished(), "the parked put is not a task yet");
    q.join(b);

    assertEquals("x", q.poll());
    assertNull(a.onlyAnswer());
    assertEquals(2, q.unfinished());
    q.taskDone();
    assertEquals(0, b.answers);
    assertEquals("y", q.poll());
    q.taskDone();
    assertNull(b.onlyAnswer());
  }

  @Test
  void putThatTimedOut_isNeverATask() {
    JoinableQueueObject q = new JoinableQueueObject(1);
    q.offer("x");
    q.offer(a, "y", 1, TimeUnit.SECONDS);
    a.fireTimer();
    assertEquals(false, a.onlyAnswer());
    q.join(b);

    q.poll();
    q.taskDone();
    assertNull(b.onlyAnswer());
    assertEquals(0, q.unfinished());
  }

  @Test
  void joinerTimedOutSessionClosedOrInterrupted_isDropped_theLastTaskDoneAnswersTheLiveOne() {
    JoinableQueueObject q = new JoinableQueueObject(Integer.MAX_VALUE);
    q.offer("x");
    q.join(a, Duration.ofSeconds(1));
    q.join(b);
    q.join(c, Duration.ofSeconds(1));
    q.join(d);

    a.fireTimer();
    b.closeSession(q);
    c.interrupt();
    assertEquals(false, a.onlyAnswer());
    assertInstanceOf(IllegalStateException.class, b.onlyAnswer());
    assertInstanceOf(InterruptedException.class, c.onlyAnswer());
    assertEquals(0, c.liveTimers());

    q.poll();
    q.taskDone();
    assertNull(d.onlyAnswer());
    assertEquals(3, a.answers + b.answers + c.answers);
  }
}
