package io.jmanager.server.types;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The daemon side of {@code JoinableQueue} (Python's {@code JoinableQueue}): every accepted item is
 * an unfinished task until a {@code taskDone()}; {@code join()} parks until none is left. An item
 * given back (its taker's connection closed before confirming it) stays the one unfinished task it
 * was: the next taker's {@code taskDone()} finishes it.
 */
public final class JoinableQueueObject extends QueueObject {
  /** A parked join: {@code answer} is null for {@code join()}, true for {@code join(Duration)}. */
  private record Joiner(Pending pending, Object answer) {}

  private long unfinished;
  private final ArrayDeque<Joiner> joiners = new ArrayDeque<>();

  public JoinableQueueObject(int capacity) {
    super(capacity);
  }

  @Override
  protected void enqueued() {
    unfinished++; // called under the queue's monitor
    effects.unfinished(unfinished);
  }

  public synchronized void taskDone() {
    if (unfinished == 0) {
      throw new IllegalStateException("taskDone() called more times than there were items put");
    }
    effects.unfinished(--unfinished);
    if (unfinished == 0) {
      for (Joiner j; (j = joiners.poll()) != null; ) {
        j.pending.complete(j.answer);
      }
    }
  }

  public synchronized Object join(CallContext ctx) {
    return unfinished == 0 ? null : parkJoiner(ctx, null);
  }

  public synchronized Object join(CallContext ctx, Duration timeout) {
    long nanos = timeout.toNanos();
    if (unfinished == 0) {
      return true;
    }
    return parkJoiner(ctx, Boolean.TRUE).timeoutAfter(nanos, false);
  }

  private Pending parkJoiner(CallContext ctx, Object answer) {
    Joiner j = new Joiner(ctx.park(), answer);
    joiners.add(j);
    j.pending.onAbandon(() -> {
      synchronized (this) {
        joiners.remove(j);
      }
    });
    return j.pending;
  }

  /** Items put and not yet done. */
  public synchronized long unfinished() {
    return unfinished;
  }

  /** Replay: the unfinished-task count. */
  public synchronized void restoreUnfinished(long count) {
    unfinished = count;
  }

  @Override
  public synchronized String statusDetails() {
    return super.statusDetails() + ", " + unfinished + " unfinished tasks, " + joiners.size() + " joining";
  }
}
