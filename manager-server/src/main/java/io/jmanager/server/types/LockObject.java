package io.jmanager.server.types;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The daemon side of {@code SharedLock}: Python's {@code Lock} (not reentrant) or {@code RLock}
 * (reentrant), owned by a (session, client thread). Waiters park FIFO; when the owner's session
 * closes, the lock is released and passed on. Also the lock inside a {@link ConditionObject}.
 */
public final class LockObject implements Described, SessionAware {
  /** A parked acquirer: the hold count it takes, and what its call answers once it holds the lock. */
  record Waiter(Pending pending, Owner owner, int holds, Object answer) {}

  private final String kind;
  private final boolean reentrant;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private Owner holder;
  private int holds;
  private long heldSinceNanos;

  /**
   * Creates an unlocked lock.
   *
   * @param reentrant true for an {@code rlock}, whose holder may lock again; false for a {@code
   *     lock}
   */
  public LockObject(boolean reentrant) {
    this.reentrant = reentrant;
    this.kind = reentrant ? "rlock" : "lock";
  }

  /**
   * Takes the lock, parking the call behind earlier waiters if it is held. A {@code lock} held by
   * the caller itself parks for good, as Python's {@code Lock} does.
   *
   * @param ctx the call; its session and thread are the owner
   * @return null (taken), or the {@link Pending} of the parked call
   */
  public synchronized Object lock(CallContext ctx) {
    return tryLock(ctx) ? null : park(ctx, null);
  }

  /**
   * As {@link #lock(CallContext)}: the client's interrupt cancels the parked call.
   *
   * @param ctx the call; its session and thread are the owner
   * @return null (taken), or the {@link Pending} of the parked call
   */
  public synchronized Object lockInterruptibly(CallContext ctx) {
    return lock(ctx);
  }

  /**
   * Takes the lock if it is free (or, for an {@code rlock}, held by the caller), even past waiters.
   *
   * @param ctx the call; its session and thread are the owner
   * @return whether the caller holds it now
   */
  public synchronized boolean tryLock(CallContext ctx) {
    Owner me = Owner.of(ctx);
    if (holder == null) {
      grant(me, 1);
      return true;
    }
    if (reentrant && holder.sameThread(me)) {
      holds++;
      return true;
    }
    return false;
  }

  /**
   * Takes the lock, parking the call up to {@code time} if it is held.
   *
   * @param ctx the call; its session and thread are the owner
   * @param time the longest wait, in {@code unit}
   * @param unit the unit of {@code time}
   * @return {@code true} (taken), or the {@link Pending} of the parked call (answered true when
   *     taken, false on timeout)
   */
  public synchronized Object tryLock(CallContext ctx, long time, TimeUnit unit) {
    long nanos = unit.toNanos(time);
    if (tryLock(ctx)) {
      return true;
    }
    return park(ctx, true).timeoutAfter(nanos, false);
  }

  private Pending park(CallContext ctx, Object answer) {
    return enqueue(new Waiter(ctx.park(), Owner.of(ctx), 1, answer));
  }

  /** Queues {@code w} for the lock (also used by a condition to re-acquire after a signal). */
  synchronized Pending enqueue(Waiter w) {
    if (holder == null && waiters.isEmpty()) {
      grant(w.owner, w.holds);
      if (!w.pending.answer(w.answer)) {
        release(); // abandoned in the meantime
      }
      return w.pending;
    }
    waiters.add(w);
    w.pending.onAbandon(() -> {
      synchronized (this) {
        waiters.remove(w);
      }
    });
    return w.pending;
  }

  /**
   * Releases one hold; the last hands the lock to the oldest waiter.
   *
   * @param ctx the call; its session and thread are the owner
   * @throws IllegalMonitorStateException if the lock is free or held by another owner
   */
  public synchronized void unlock(CallContext ctx) {
    Owner me = Owner.of(ctx);
    if (holder == null) {
      throw new IllegalMonitorStateException(kind + " is not locked");
    }
    if (!holder.sameThread(me)) {
      throw new IllegalMonitorStateException(kind + " is held by " + holder + ", not by " + me);
    }
    if (--holds == 0) {
      release();
    }
  }

  /** Fully releases the lock held by {@code me} (a condition's await); returns the holds given up. */
  synchronized int releaseAll(Owner me, String what) {
    if (holder == null || !holder.sameThread(me)) {
      throw new IllegalMonitorStateException(what + " without holding its lock (held by "
          + (holder == null ? "nobody" : holder.toString()) + ")");
    }
    int given = holds;
    release();
    return given;
  }

  synchronized boolean isHeldBy(Owner me) {
    return holder != null && holder.sameThread(me);
  }

  private void grant(Owner owner, int count) {
    holder = owner;
    holds = count;
    heldSinceNanos = System.nanoTime();
  }

  /** Frees the lock and hands it to the oldest live waiter. */
  private void release() {
    holder = null;
    holds = 0;
    for (Waiter w; (w = waiters.poll()) != null; ) {
      grant(w.owner, w.holds);
      if (w.pending.answer(w.answer)) {
        return; // (an interrupted condition waiter fails holding the lock, as Condition.await does)
      }
      holder = null; // that waiter was cancelled or timed out just now
      holds = 0;
    }
  }

  @Override
  public synchronized void sessionClosed(long sessionId) {
    if (holder != null && holder.sessionId() == sessionId) {
      release();
    }
  }

  @Override
  public synchronized long statusSize() {
    return waiters.size();
  }

  @Override
  public synchronized java.util.List<Party> statusParties() {
    java.util.List<Party> parties = new java.util.ArrayList<>();
    if (holder != null) {
      parties.add(new Party("holds", holder, heldSinceNanos));
    }
    waiters.forEach(w -> parties.add(new Party("waits", w.owner, w.pending.sinceNanos())));
    return parties;
  }

  @Override
  public synchronized String statusDetails() {
    if (holder == null) {
      return "free";
    }
    return "held by " + holder + (reentrant ? " x" + holds : "") + " for "
        + String.format("%.1f s", (System.nanoTime() - heldSinceNanos) / 1e9) + ", " + waiters.size() + " waiting";
  }
}
