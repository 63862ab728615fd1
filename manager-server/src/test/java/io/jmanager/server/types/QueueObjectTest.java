package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The queue without a socket: parked takers and putters served in order, timed-out and abandoned
 * ones skipped, and where items given back by a taker that never received them go.
 */
class QueueObjectTest {
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);

  @Test
  void parkedTakers_getItemsInArrivalOrder() {
    QueueObject q = new QueueObject(2);
    assertInstanceOf(Pending.class, q.take(a));
    assertInstanceOf(Pending.class, q.take(b));
    assertInstanceOf(Pending.class, q.take(c));
    q.offer("x");
    assertEquals("x", a.onlyAnswer());
    assertEquals(0, b.answers + c.answers);
    q.offer("y");
    q.offer("z");
    assertEquals("y", b.onlyAnswer());
    assertEquals("z", c.onlyAnswer());
    assertEquals(List.of(), q.copy());
  }

  @Test
  void parkedPutters_enterInArrivalOrder_asRoomFrees() {
    QueueObject q = new QueueObject(1);
    q.offer("x");
    assertInstanceOf(Pending.class, q.put(a, "y"));
    assertInstanceOf(Pending.class, q.offer(b, "z", 1, TimeUnit.SECONDS));

    assertEquals("x", q.poll());
    assertNull(a.onlyAnswer());
    assertEquals(0, b.answers);
    assertEquals(List.of("y"), q.copy());

    assertEquals("y", q.poll());
    assertEquals(true, b.onlyAnswer());
    assertEquals(0, b.liveTimers());
    assertEquals(List.of("z"), q.copy());
  }

  @Test
  void timedTakeThatExpires_answersNullOnce_theNextItemGoesToTheNextTaker() {
    QueueObject q = new QueueObject(2);
    q.poll(a, 1, TimeUnit.SECONDS);
    q.take(b);
    a.fireTimer();
    assertNull(a.onlyAnswer());

    q.offer("x");
    assertEquals("x", b.onlyAnswer());
    assertEquals(1, a.answers);
    q.offer("y");
    assertEquals(List.of("y"), q.copy());
  }

  @Test
  void timedPutThatExpires_answersFalseOnce_theNextPutterEntersInstead() {
    QueueObject q = new QueueObject(1);
    q.offer("x");
    q.offer(a, "y", 1, TimeUnit.SECONDS);
    q.put(b, "z");
    a.fireTimer();
    assertEquals(false, a.onlyAnswer());

    assertEquals("x", q.poll());
    assertNull(b.onlyAnswer());
    assertEquals(List.of("z"), q.copy());
    assertEquals(1, a.answers);
  }

  @Test
  void takerSessionClosedOrInterrupted_isSkipped_theItemGoesToTheNextTaker() {
    QueueObject q = new QueueObject(2);
    q.take(a);
    q.poll(b, 1, TimeUnit.SECONDS);
    q.take(c);
    a.closeSession(q);
    b.interrupt();
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertInstanceOf(InterruptedException.class, b.onlyAnswer());
    assertEquals(0, b.liveTimers());

    q.offer("x");
    assertEquals("x", c.onlyAnswer());
    assertEquals(2, a.answers + b.answers);
  }

  @Test
  void putterSessionClosedOrInterrupted_itsItemNeverEnters() {
    QueueObject q = new QueueObject(1);
    q.offer("x");
    q.put(a, "y");
    q.offer(b, "z", 1, TimeUnit.SECONDS);
    q.put(c, "w");
    a.closeSession(q);
    b.interrupt();
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertInstanceOf(InterruptedException.class, b.onlyAnswer());

    assertEquals("x", q.poll());
    assertNull(c.onlyAnswer());
    assertEquals(List.of("w"), q.copy());
  }

  @Test
  void givenBack_goToTheHead_inTheirOrder() {
    QueueObject q = QueueObject.unbounded();
    List.of("a", "b", "c", "d").forEach(q::offer);
    assertEquals(List.of("a", "b"), q.drain(2));
    q.offer("e");
    q.giveBack(List.of("a", "b"));
    assertEquals(List.of("a", "b", "c", "d", "e"), q.copy());
  }

  @Test
  void givenBack_aParkedTakerGetsTheOldest_theRestGoToTheHead() {
    QueueObject q = QueueObject.unbounded();
    FakeContext taker = new FakeContext(2);
    q.take(taker);
    q.giveBack(List.of("a", "b", "c"));
    assertEquals("a", taker.answer);
    assertEquals(List.of("b", "c"), q.copy());
  }

  @Test
  void givenBack_wakeAWatcher() {
    QueueObject q = QueueObject.unbounded();
    FakeContext watcher = new FakeContext(2);
    q.awaitNotEmpty(watcher, Duration.ofSeconds(1).toNanos());
    q.giveBack(List.of("a"));
    assertEquals(true, watcher.answer);
  }

  @Test
  void givenBack_mayExceedTheCapacity_parkedPutterWaitsUntilBelowIt() {
    QueueObject q = new QueueObject(2);
    q.offer("a");
    q.offer("b");
    assertEquals("a", q.poll());
    q.offer("c");
    FakeContext putter = new FakeContext(2);
    q.put(putter, "d");
    q.giveBack(List.of("a"));
    assertEquals(List.of("a", "b", "c"), q.copy());
    assertEquals(0, q.remainingCapacity());
    assertTrue(!q.offer("x"), "full");
    assertEquals("a", q.poll());
    assertEquals(0, putter.answers, "still at capacity");
    assertEquals("b", q.poll());
    assertEquals(1, putter.answers);
    assertNull(putter.answer);
    assertEquals(List.of("c", "d"), q.copy());
  }

  @Test
  void joinableQueue_givenBackItem_staysOneUnfinishedTask() {
    JoinableQueueObject q = new JoinableQueueObject(Integer.MAX_VALUE);
    q.offer("a");
    assertEquals("a", q.poll());
    q.giveBack(List.of("a")); // its first taker died before taskDone()
    assertEquals("a", q.poll());
    FakeContext joiner = new FakeContext(2);
    q.join(joiner);
    assertEquals(0, joiner.answers);
    q.taskDone();
    assertEquals(1, joiner.answers);
    assertThrows(IllegalStateException.class, q::taskDone);
  }
}
