package io.jmanager.server.types;

import java.time.Duration;
import java.util.ArrayDeque;

/** The daemon side of {@code SharedEvent}: Python's {@code Event}, a flag waiters park on. */
public final class EventObject implements Described {
  private record Waiter(Pending pending, Object answer) {}

  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private boolean set;

  /** Sets the flag and answers every parked {@code await}. */
  public synchronized void set() {
    set = true;
    for (Waiter w; (w = waiters.poll()) != null; ) {
      w.pending.complete(w.answer);
    }
  }

  /** Clears the flag; later awaits park. */
  public synchronized void clear() {
    set = false;
  }

  /** {@return whether the flag is set} */
  public synchronized boolean isSet() {
    return set;
  }

  /**
   * Answers at once if the flag is set, else parks the call until it is.
   *
   * @param ctx the call
   * @return null (the flag is set), or the {@link Pending} of the parked call
   */
  public synchronized Object await(CallContext ctx) {
    return set ? null : park(ctx, null);
  }

  /**
   * Answers at once if the flag is set, else parks the call up to {@code timeout}.
   *
   * @param ctx the call
   * @param timeout the longest wait
   * @return {@code true} (the flag is set), or the {@link Pending} of the parked call (answered
   *     true when set, false on timeout)
   */
  public synchronized Object await(CallContext ctx, Duration timeout) {
    long nanos = timeout.toNanos();
    return set ? Boolean.TRUE : park(ctx, true).timeoutAfter(nanos, false);
  }

  private Pending park(CallContext ctx, Object answer) {
    Waiter w = new Waiter(ctx.park(), answer);
    waiters.add(w);
    w.pending.onAbandon(() -> {
      synchronized (this) {
        waiters.remove(w);
      }
    });
    return w.pending;
  }

  @Override
  public synchronized long statusSize() {
    return waiters.size();
  }

  @Override
  public synchronized String statusDetails() {
    return (set ? "set" : "clear") + ", " + waiters.size() + " waiting";
  }
}
