package io.jmanager.server.types;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The daemon side of {@code SharedSemaphore}: Java's {@code Semaphore} in fair mode, Python's
 * {@code Semaphore}/{@code BoundedSemaphore}. Permits are counted per session: those a session
 * acquired and did not release come back when it closes. A bounded semaphore refuses a release
 * above its initial permits.
 */
public final class SemaphoreObject implements Described, SessionAware {
  private record Waiter(Pending pending, long sessionId, int permits, Object answer) {}

  private final int initial;
  private final boolean bounded;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final Map<Long, Integer> heldBySession = new HashMap<>();
  private int available;

  /**
   * Creates the semaphore.
   *
   * @param permits the permits available at first (for a bounded one, also the most it holds)
   * @param bounded whether releasing above {@code permits} is an error
   * @throws IllegalArgumentException if bounded with negative {@code permits}
   */
  public SemaphoreObject(int permits, boolean bounded) {
    if (bounded && permits < 0) {
      throw new IllegalArgumentException("a bounded semaphore needs permits >= 0, got " + permits);
    }
    this.initial = permits;
    this.available = permits;
    this.bounded = bounded;
  }

  /**
   * Takes one permit, parking the call behind earlier waiters if none is free.
   *
   * @param ctx the call; permits are counted to its session
   * @return null (taken), or the {@link Pending} of the parked call
   */
  public synchronized Object acquire(CallContext ctx) {
    return acquire(ctx, 1);
  }

  /**
   * Takes {@code permits} at once, parking the call behind earlier waiters until they are free.
   *
   * @param ctx the call; permits are counted to its session
   * @param permits how many; not negative
   * @return null (taken), or the {@link Pending} of the parked call
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public synchronized Object acquire(CallContext ctx, int permits) {
    check(permits);
    return take(ctx.sessionId(), permits) ? null : park(ctx, permits, null);
  }

  /**
   * Takes one permit if one is free, even past waiters.
   *
   * @param ctx the call; permits are counted to its session
   * @return whether it was taken
   */
  public synchronized boolean tryAcquire(CallContext ctx) {
    return tryAcquire(ctx, 1);
  }

  /**
   * Takes permits if available, even past queued waiters, as {@code Semaphore.tryAcquire()} does.
   *
   * @param ctx the call; permits are counted to its session
   * @param permits how many; not negative
   * @return whether they were taken; if not, none was
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public synchronized boolean tryAcquire(CallContext ctx, int permits) {
    check(permits);
    if (available < permits) {
      return false;
    }
    available -= permits;
    heldBySession.merge(ctx.sessionId(), permits, Integer::sum);
    return true;
  }

  /**
   * Takes one permit, parking the call behind earlier waiters up to {@code timeout}.
   *
   * @param ctx the call; permits are counted to its session
   * @param timeout the longest wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return {@code true} (taken), or the {@link Pending} of the parked call (answered true when
   *     taken, false on timeout)
   */
  public synchronized Object tryAcquire(CallContext ctx, long timeout, TimeUnit unit) {
    return tryAcquire(ctx, 1, timeout, unit);
  }

  /**
   * Takes {@code permits} at once, parking the call behind earlier waiters up to {@code timeout}.
   *
   * @param ctx the call; permits are counted to its session
   * @param permits how many; not negative
   * @param timeout the longest wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return {@code true} (taken), or the {@link Pending} of the parked call (answered true when
   *     taken, false on timeout)
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public synchronized Object tryAcquire(CallContext ctx, int permits, long timeout, TimeUnit unit) {
    check(permits);
    long nanos = unit.toNanos(timeout);
    if (take(ctx.sessionId(), permits)) {
      return true;
    }
    return park(ctx, permits, true).timeoutAfter(nanos, false);
  }

  /** Takes permits if available and nobody queued first (fair). */
  private boolean take(long sessionId, int permits) {
    if (!waiters.isEmpty() || available < permits) {
      return false;
    }
    available -= permits;
    heldBySession.merge(sessionId, permits, Integer::sum);
    return true;
  }

  private Pending park(CallContext ctx, int permits, Object answer) {
    Waiter w = new Waiter(ctx.park(), ctx.sessionId(), permits, answer);
    waiters.add(w);
    w.pending.onAbandon(() -> {
      synchronized (this) {
        waiters.remove(w);
        grantWaiters(); // the head may have been blocking smaller requests behind it
      }
    });
    return w.pending;
  }

  /**
   * Returns one permit and grants waiters, first come first served.
   *
   * @param ctx the call; its session's count of held permits goes down first
   * @throws IllegalStateException if bounded and all permits are already available
   */
  public synchronized void release(CallContext ctx) {
    release(ctx, 1);
  }

  /**
   * Returns {@code permits} and grants waiters, first come first served.
   *
   * @param ctx the call; its session's count of held permits goes down first
   * @param permits how many; not negative
   * @throws IllegalStateException if bounded and this would exceed the initial permits; nothing
   *     is returned
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public synchronized void release(CallContext ctx, int permits) {
    check(permits);
    if (bounded && available + permits > initial) {
      throw new IllegalStateException(
          "bounded semaphore released too many times: " + available + " of " + initial
              + " permits available, releasing " + permits);
    }
    forget(ctx.sessionId(), permits);
    available += permits;
    grantWaiters();
  }

  /**
   * Lowers the record of unreleased permits by {@code permits}: the releasing session's own first,
   * then (a permit released by another session than took it) other sessions', so a permit is
   * never returned twice when a session closes.
   */
  private void forget(long sessionId, int permits) {
    int left = take(heldBySession, sessionId, permits);
    for (var it = heldBySession.keySet().iterator(); left > 0 && it.hasNext(); ) {
      left = take(heldBySession, it.next(), left);
    }
    heldBySession.values().removeIf(held -> held == 0);
  }

  private static int take(Map<Long, Integer> held, long sessionId, int permits) {
    int had = held.getOrDefault(sessionId, 0);
    int taken = Math.min(had, permits);
    if (taken > 0) {
      held.put(sessionId, had - taken);
    }
    return permits - taken;
  }

  private void grantWaiters() {
    for (Waiter w; (w = waiters.peek()) != null && available >= w.permits; ) {
      waiters.poll();
      available -= w.permits;
      if (w.pending.complete(w.answer)) {
        heldBySession.merge(w.sessionId, w.permits, Integer::sum);
      } else {
        available += w.permits;
      }
    }
  }

  /** {@return the permits free now} */
  public synchronized int availablePermits() {
    return available;
  }

  @Override
  public synchronized void sessionClosed(long sessionId) {
    Integer held = heldBySession.remove(sessionId);
    if (held != null) {
      available += bounded ? Math.min(held, initial - available) : held;
      grantWaiters();
    }
  }

  private static void check(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative, got " + permits);
    }
  }

  @Override
  public synchronized long statusSize() {
    return available;
  }

  /** Holders by session (a permit has no thread, nor a recorded start), then the waiters. */
  @Override
  public synchronized java.util.List<Party> statusParties() {
    java.util.List<Party> parties = new java.util.ArrayList<>();
    heldBySession.forEach((session, permits) -> parties.add(new Party("holds " + permits, new Owner(session, -1, -1), -1)));
    waiters.forEach(w -> parties.add(new Party("waits", Owner.of(w.pending.context()), w.pending.sinceNanos())));
    return parties;
  }

  @Override
  public synchronized String statusDetails() {
    return available + " of " + initial + " permits available" + (bounded ? " (bounded)" : "") + ", held by sessions "
        + heldBySession + ", " + waiters.size() + " waiting";
  }
}
