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

  /**
   * Creates an empty joinable queue with no unfinished task.
   *
   * @param capacity the most items it holds; {@link Integer#MAX_VALUE} for unbounded
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public JoinableQueueObject(int capacity) {
    super(capacity);
  }

  @Override
  protected void enqueued() {
    unfinished++; // called under the queue's monitor
    effects.unfinished(unfinished);
  }

  /**
   * Finishes one task; the last answers every parked {@code join}.
   *
   * @throws IllegalStateException if no task is unfinished
   */
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

  /**
   * Answers at once if no task is unfinished, else parks the call until none is.
   *
   * @param ctx the call
   * @return null (none unfinished), or the {@link Pending} of the parked call
   */
  public synchronized Object join(CallContext ctx) {
    return unfinished == 0 ? null : parkJoiner(ctx, null);
  }

  /**
   * As {@link #join(CallContext)}, up to {@code timeout}.
   *
   * @param ctx the call
   * @param timeout the longest wait
   * @return {@code true} (none unfinished), or the {@link Pending} of the parked call (answered
   *     true when none is left, false on timeout)
   */
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

  /** {@return the items put and not yet done} */
  public synchronized long unfinished() {
    return unfinished;
  }

  /**
   * Replay: sets the unfinished-task count.
   *
   * @param count the count the journal recorded last
   */
  public synchronized void restoreUnfinished(long count) {
    unfinished = count;
  }

  @Override
  public synchronized String statusDetails() {
    return super.statusDetails() + ", " + unfinished + " unfinished tasks, " + joiners.size() + " joining";
  }
}
