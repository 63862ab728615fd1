package io.jmanager.server.cluster;

import com.hazelcast.cp.IAtomicLong;
import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Pending;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A joinable queue in cluster mode: the items in a {@link ClusterQueue}'s {@code IQueue}, the
 * unfinished tasks in a CP {@code IAtomicLong}. A task is counted before its item is offered (and
 * uncounted if the queue was full), so a taker on any daemon can never finish a task the count
 * does not have yet. A {@code join} parks on its daemon; the {@code taskDone} that finishes the
 * last task signals every daemon, and parked joins also check the count every {@link
 * ClusterNode#RETRY_MILLIS} ms. An item given back (its taker's connection closed before
 * confirming it) stays the one unfinished task it was, as on one daemon.
 */
public final class ClusterJoinableQueue extends ClusterQueue {
  /** A parked join: {@code answer} is null for {@code join()}, true for {@code join(Duration)}. */
  private record Joiner(Pending pending, Object answer) {}

  private final IAtomicLong unfinished;
  private final ArrayDeque<Joiner> joiners = new ArrayDeque<>(); // guarded by this

  /**
   * The joinable queue {@code name} of {@code node}'s cluster, holding at most {@code capacity} items.
   *
   * @throws IllegalStateException if the CP subsystem has not formed yet (too few daemons)
   */
  public ClusterJoinableQueue(ClusterNode node, String name, int capacity) {
    super(node, name, capacity);
    node.requireCp();
    this.unfinished = node.hazelcast().getCPSubsystem().getAtomicLong(queue.getName() + ":unfinished");
  }

  @Override
  protected boolean offerItem(byte[] item) {
    unfinished.incrementAndGet();
    if (queue.offer(item)) {
      return true;
    }
    taskDone(); // full: the task was never accepted
    return false;
  }

  @Override
  protected void withdrawItem(byte[] item) {
    if (queue.remove(item)) {
      taskDone();
    }
  }

  /**
   * Finishes one task; the last answers every parked {@code join}, on every daemon.
   *
   * @throws IllegalStateException if no task is unfinished
   */
  public void taskDone() {
    while (true) {
      long n = unfinished.get();
      if (n <= 0) {
        throw new IllegalStateException("taskDone() called more times than there were items put");
      }
      if (unfinished.compareAndSet(n, n - 1)) {
        if (n == 1) {
          node.signal(queue.getName());
          requestServe();
        }
        return;
      }
    }
  }

  /** Answers at once if no task is unfinished, else parks the call until none is; {@return null, or the parked call} */
  public Object join(CallContext ctx) {
    return unfinished.get() == 0 ? null : parkJoiner(ctx, null);
  }

  /** As {@link #join(CallContext)}, up to {@code timeout}; {@return true, or the parked call (false at the timeout)} */
  public Object join(CallContext ctx, Duration timeout) {
    long nanos = timeout.toNanos();
    if (unfinished.get() == 0) {
      return true;
    }
    return parkJoiner(ctx, Boolean.TRUE).timeoutAfter(nanos, false);
  }

  private Pending parkJoiner(CallContext ctx, Object answer) {
    Joiner j = new Joiner(ctx.park(), answer);
    synchronized (this) {
      joiners.add(j);
      node.wakeOnSignal(queue.getName(), this);
    }
    j.pending.onAbandon(() -> {
      synchronized (this) {
        joiners.remove(j);
      }
    });
    requestServe(); // the last task may have been done between the read and the parking
    return j.pending;
  }

  @Override
  protected boolean hasOtherParked() {
    return !joiners.isEmpty();
  }

  @Override
  protected void serveOther() {
    synchronized (this) {
      if (joiners.isEmpty()) {
        return;
      }
    }
    if (unfinished.get() != 0) {
      return;
    }
    List<Joiner> woken;
    synchronized (this) {
      woken = new ArrayList<>(joiners);
      joiners.clear();
    }
    woken.forEach(j -> j.pending.complete(j.answer));
  }

  /** {@return the items put and not yet done} */
  public long unfinished() {
    return unfinished.get();
  }

  @Override
  public String statusDetails() {
    long n = unfinished.get();
    synchronized (this) {
      return super.statusDetails() + ", " + n + " unfinished tasks, " + joiners.size() + " joining on this daemon";
    }
  }

  @Override
  public void destroy() {
    super.destroy();
    unfinished.destroy();
  }
}
