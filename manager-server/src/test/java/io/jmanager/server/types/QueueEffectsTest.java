package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a queue reports to the journal: the items that really moved, including those moved without
 * a call of their own; replaying the reports onto an empty queue gives the same items.
 */
class QueueEffectsTest {
  /** Keeps the reports as text, and replays them onto {@code replica}. */
  static final class Recorded implements QueueEffects {
    final List<String> log = new ArrayList<>();
    final JoinableQueueObject replica = new JoinableQueueObject(Integer.MAX_VALUE);

    @Override
    public void added(Object item) {
      log.add("added " + item);
      replica.restoreAppend(item);
    }

    @Override
    public void prepended(List<Object> items) {
      log.add("prepended " + items);
      replica.restorePrepend(new ArrayList<>(items));
    }

    @Override
    public void removedFirst(int count) {
      log.add("removedFirst " + count);
      replica.restoreRemoveFirst(count);
    }

    @Override
    public void replaced(List<Object> items) {
      log.add("replaced " + items);
      replica.clear();
      items.forEach(replica::restoreAppend);
    }

    @Override
    public void unfinished(long count) {
      log.add("unfinished " + count);
      replica.restoreUnfinished(count);
    }
  }

  @Test
  void anItemHandedToAWaitingTaker_neverEntersTheQueue() {
    QueueObject q = QueueObject.unbounded();
    Recorded r = new Recorded();
    q.journalTo(r);
    FakeContext taker = new FakeContext(2);
    q.take(taker);
    q.offer("x");
    assertEquals("x", taker.answer);
    assertEquals(List.of(), r.log);
  }

  @Test
  void takesDrainsGiveBacksAndRemovals_replayToTheSameItems() {
    QueueObject q = QueueObject.unbounded();
    Recorded r = new Recorded();
    q.journalTo(r);
    List.of("a", "b", "c", "d", "e").forEach(q::offer);
    q.poll();
    q.drain(2);
    q.giveBack(List.of("b", "c"));
    q.remove("d");
    q.offer("f");
    assertEquals(q.copy(), r.replica.copy());
    assertEquals(List.of("added a", "added b", "added c", "added d", "added e", "removedFirst 1",
        "removedFirst 2", "prepended [b, c]", "replaced [b, c, e]", "added f"), r.log);
  }

  @Test
  void aParkedPutLetInByATake_isAnAdditionInTheTakesCriticalSection() {
    QueueObject q = new QueueObject(1);
    Recorded r = new Recorded();
    q.journalTo(r);
    q.offer("a");
    FakeContext putter = new FakeContext(2);
    q.put(putter, "b");
    assertEquals("a", q.poll());
    assertEquals(List.of("added a", "removedFirst 1", "added b"), r.log);
    assertEquals(q.copy(), r.replica.copy());
  }

  @Test
  void aJoinableQueue_reportsItsUnfinishedCount() {
    JoinableQueueObject q = new JoinableQueueObject(Integer.MAX_VALUE);
    Recorded r = new Recorded();
    q.journalTo(r);
    q.offer("a");
    q.poll();
    q.taskDone();
    assertEquals(List.of("added a", "unfinished 1", "removedFirst 1", "unfinished 0"), r.log);
  }
}
