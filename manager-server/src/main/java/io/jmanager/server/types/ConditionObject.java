package io.jmanager.server.types;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The daemon side of {@code SharedCondition}: Python's {@code Condition} over its own reentrant
 * lock. {@code await} releases the lock fully and parks; a signal (or the timeout) moves the
 * waiter to the lock's queue, and the call answers once the waiter holds the lock again with its
 * old hold count.
 */
public final class ConditionObject implements Described, SessionAware {
  private static final class Waiter {
    final Pending pending;
    final Owner owner;
    final int holds;
    final Object answerOnSignal;
    Runnable cancelTimer = () -> {};

    Waiter(Pending pending, Owner owner, int holds, Object answerOnSignal) {
      this.pending = pending;
      this.owner = owner;
      this.holds = holds;
      this.answerOnSignal = answerOnSignal;
    }
  }

  private final LockObject lock = new LockObject(true);
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  /**
   * Takes the condition's reentrant lock, parking the call if another owner holds it.
   *
   * @param ctx the call; its session and thread are the owner
   * @return null (taken), or the {@link Pending} of the parked call
   */
  public Object lock(CallContext ctx) {
    return lock.lock(ctx);
  }

  /**
   * Releases one hold of the condition's lock.
   *
   * @param ctx the call; its session and thread are the owner
   * @throws IllegalMonitorStateException if the caller does not hold it
   */
  public void unlock(CallContext ctx) {
    lock.unlock(ctx);
  }

  /**
   * Releases the lock fully and parks the call until a signal and the lock's return.
   *
   * @param ctx the call; its session and thread are the owner
   * @return the {@link Pending} of the parked call, answered once the caller holds the lock again
   * @throws IllegalMonitorStateException if the caller does not hold the lock
   */
  public synchronized Object await(CallContext ctx) {
    return park(ctx, null);
  }

  /**
   * As {@link #await(CallContext)}, giving up waiting for a signal after {@code timeout}; the call
   * is answered only once the caller holds the lock again.
   *
   * @param ctx the call; its session and thread are the owner
   * @param timeout the longest wait for a signal
   * @return the {@link Pending} of the parked call: answered true if signalled, false on timeout
   * @throws IllegalMonitorStateException if the caller does not hold the lock
   */
  public synchronized Object await(CallContext ctx, Duration timeout) {
    long nanos = timeout.toNanos(); // before anything changes: a bad timeout fails cleanly
    Waiter w = parkWaiter(ctx, true);
    w.cancelTimer = ctx.schedule(() -> {
      synchronized (this) {
        if (waiters.remove(w)) {
          reacquire(w, false);
        }
      }
    }, nanos);
    return w.pending;
  }

  private Pending park(CallContext ctx, Object answerOnSignal) {
    return parkWaiter(ctx, answerOnSignal).pending;
  }

  private Waiter parkWaiter(CallContext ctx, Object answerOnSignal) {
    Owner me = Owner.of(ctx);
    int holds = lock.releaseAll(me, "await");
    Waiter w = new Waiter(ctx.park(), me, holds, answerOnSignal);
    waiters.add(w);
    w.pending.onAbandon(() -> {
      synchronized (this) {
        waiters.remove(w);
      }
      w.cancelTimer.run(); // else the timer would keep the call's context until the timeout passed
    });
    // Condition.await throws InterruptedException only once it holds the lock again
    w.pending.onCancel(reason -> {
      synchronized (this) {
        if (waiters.remove(w)) {
          reacquire(w, reason);
        }
      }
    });
    return w;
  }

  /**
   * Moves the longest-waiting live waiter to the lock's queue.
   *
   * @param ctx the call; its session and thread are the owner
   * @throws IllegalMonitorStateException if the caller does not hold the lock
   */
  public synchronized void signal(CallContext ctx) {
    requireLock(ctx, "signal");
    for (Waiter w; (w = waiters.poll()) != null; ) {
      reacquire(w, w.answerOnSignal);
      if (w.pending.isWaiting()) {
        return; // signalled a live waiter; a dead one (its session just closed) does not count
      }
    }
  }

  /**
   * Moves every waiter to the lock's queue, in order.
   *
   * @param ctx the call; its session and thread are the owner
   * @throws IllegalMonitorStateException if the caller does not hold the lock
   */
  public synchronized void signalAll(CallContext ctx) {
    requireLock(ctx, "signalAll");
    for (Waiter w; (w = waiters.poll()) != null; ) {
      reacquire(w, w.answerOnSignal);
    }
  }

  private void reacquire(Waiter w, Object answer) {
    w.cancelTimer.run();
    lock.enqueue(new LockObject.Waiter(w.pending, w.owner, w.holds, answer));
  }

  private void requireLock(CallContext ctx, String what) {
    if (!lock.isHeldBy(Owner.of(ctx))) {
      throw new IllegalMonitorStateException(what + " without holding the condition's lock");
    }
  }

  @Override
  public void sessionClosed(long sessionId) {
    lock.sessionClosed(sessionId);
  }

  @Override
  public synchronized long statusSize() {
    return waiters.size();
  }

  @Override
  public synchronized java.util.List<Party> statusParties() {
    java.util.List<Party> parties = new java.util.ArrayList<>(lock.statusParties());
    waiters.forEach(w -> parties.add(new Party("awaits", w.owner, w.pending.sinceNanos())));
    return parties;
  }

  @Override
  public synchronized String statusDetails() {
    return "lock " + lock.statusDetails() + "; " + waiters.size() + " awaiting a signal";
  }
}
