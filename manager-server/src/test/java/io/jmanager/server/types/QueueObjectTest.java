package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Items given back by a taker that never received them: where they go, without a socket. */
class QueueObjectTest {
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
