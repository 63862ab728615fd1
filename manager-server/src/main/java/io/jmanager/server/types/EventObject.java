package io.jmanager.server.types;

import java.time.Duration;
import java.util.ArrayDeque;

/** The daemon side of {@code SharedEvent}: Python's {@code Event}, a flag waiters park on. */
public final class EventObject implements Described {
  private record Waiter(Pending pending, Object answer) {}

  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private boolean set;

  public synchronized void set() {
    set = true;
    for (Waiter w; (w = waiters.poll()) != null; ) {
      w.pending.complete(w.answer);
    }
  }

  public synchronized void clear() {
    set = false;
  }

  public synchronized boolean isSet() {
    return set;
  }

  public synchronized Object await(CallContext ctx) {
    return set ? null : park(ctx, null);
  }

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
