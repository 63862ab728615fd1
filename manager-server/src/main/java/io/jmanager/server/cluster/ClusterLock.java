package io.jmanager.server.cluster;

import com.hazelcast.cp.ISemaphore;
import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Described;
import io.jmanager.server.types.Owner;
import io.jmanager.server.types.Pending;
import io.jmanager.server.types.SessionAware;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A lock or rlock in cluster mode. Across daemons it is one permit of a session-aware CP {@code
 * ISemaphore}: the daemon that holds it holds it for one of its clients, and if that daemon dies
 * its CP session ends ({@code 10 s} after its last heartbeat) and the permit comes back. On the
 * daemon, jmanager's owner rules apply as ever: the owner is a client's (session, thread), an rlock
 * counts its holds, an unlock by another owner fails, and a client's lost connection releases its
 * lock. Waiters on one daemon are served in the order they came; a lock released on a daemon with
 * waiters goes to its next waiter there. While waiters wait for a lock another daemon holds, one
 * thread of the wait pool ({@code cluster.wait.threads}) waits for the permit for them.
 */
public final class ClusterLock implements ClusterObject, Described, SessionAware {
  private record Waiter(Pending pending, Owner owner, Object answer) {}

  private final ClusterNode node;
  private final ISemaphore permit;
  private final boolean reentrant;
  private final String kind;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by this
  private Owner holder; // guarded by this
  private int holds;
  private long heldSinceNanos;
  private boolean acquiring; // a wait-pool thread waits for the permit

  /**
   * The lock {@code name} of {@code node}'s cluster.
   *
   * @throws IllegalStateException if the CP subsystem has not formed yet
   */
  public ClusterLock(ClusterNode node, String name, boolean reentrant) {
    node.requireCp();
    this.node = node;
    this.reentrant = reentrant;
    this.kind = (reentrant ? "rlock '" : "lock '") + name + "'";
    this.permit = node.hazelcast().getCPSubsystem().getSemaphore(ClusterNode.structure(name));
    permit.init(1); // the first daemon to ask sets it up; later ones find it set
  }

  private static Owner owner(CallContext ctx) {
    return new Owner(ctx.sessionId(), ctx.threadId(), ctx.pid());
  }

  private static boolean same(Owner a, Owner b) {
    return a != null && b != null && a.sessionId() == b.sessionId() && a.threadId() == b.threadId();
  }

  /** Acquires the lock, parking the call until it is free; {@return null, or the parked call} */
  public Object lock(CallContext ctx) {
    return tryLock(ctx) ? null : park(ctx, null);
  }

  /** As {@link #lock}. */
  public Object lockInterruptibly(CallContext ctx) {
    return lock(ctx);
  }

  /** {@return whether the lock was free (or, for an rlock, already the caller's) and is now the caller's} */
  public boolean tryLock(CallContext ctx) {
    Owner me = owner(ctx);
    synchronized (this) {
      if (holder != null) {
        if (reentrant && same(holder, me)) {
          holds++;
          return true;
        }
        return false;
      }
      if (!waiters.isEmpty()) {
        return false; // waiters here come first
      }
    }
    if (!permit.tryAcquire()) {
      return false;
    }
    synchronized (this) {
      if (holder == null) {
        grant(me);
        return true;
      }
    }
    permit.release(); // another client of this daemon took it meanwhile
    return false;
  }

  /** As {@link #lock}, for at most {@code time}; {@return true, or the parked call (false at the timeout)} */
  public Object tryLock(CallContext ctx, long time, TimeUnit unit) {
    return tryLock(ctx) ? Boolean.TRUE : park(ctx, Boolean.TRUE).timeoutAfter(unit.toNanos(time), false);
  }

  /**
   * Releases one hold; the last hands the lock to this daemon's next waiter, or back to the cluster.
   *
   * @throws IllegalMonitorStateException if the caller does not hold the lock
   */
  public void unlock(CallContext ctx) {
    Owner me = owner(ctx);
    synchronized (this) {
      if (holder == null) {
        throw new IllegalMonitorStateException(kind + " is not locked");
      }
      if (!same(holder, me)) {
        throw new IllegalMonitorStateException(kind + " is held by " + holder + ", not by " + me);
      }
      if (--holds > 0) {
        return;
      }
    }
    releaseHold();
  }

  /** The holder let go: the next waiter here gets the lock, else the permit goes back to the cluster. */
  private void releaseHold() {
    synchronized (this) {
      holder = null;
      holds = 0;
      if (handToNextWaiter()) {
        return;
      }
    }
    permit.release();
    synchronized (this) {
      if (!waiters.isEmpty()) {
        waitForPermit(); // they came meanwhile
      }
    }
  }

  /** Grants the lock (whose permit this daemon has) to the oldest live waiter; false if none. */
  private boolean handToNextWaiter() {
    for (Waiter w; (w = waiters.poll()) != null; ) {
      grant(w.owner);
      if (w.pending.answer(w.answer)) {
        return true;
      }
      holder = null;
      holds = 0;
    }
    return false;
  }

  private void grant(Owner owner) {
    holder = owner;
    holds = 1;
    heldSinceNanos = System.nanoTime();
  }

  private Pending park(CallContext ctx, Object answer) {
    Waiter w = new Waiter(ctx.park(), owner(ctx), answer);
    synchronized (this) {
      waiters.add(w);
      if (holder == null) {
        waitForPermit(); // another daemon holds it
      }
    }
    w.pending.onAbandon(() -> {
      synchronized (this) {
        waiters.remove(w);
      }
    });
    return w.pending;
  }

  /** A thread of the wait pool waits for the permit, then grants it here (called holding this). */
  private void waitForPermit() {
    if (acquiring) {
      return;
    }
    acquiring = true;
    try {
      node.waits().execute(() -> {
        boolean got = false;
        try {
          permit.acquire();
          got = true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failWaiters(new IllegalStateException(kind + ": waiting for the cluster's permit failed: " + e.getMessage(), e));
        }
        boolean granted;
        synchronized (this) {
          acquiring = false;
          granted = got && holder == null && handToNextWaiter();
        }
        if (got && !granted) {
          permit.release(); // nobody here waits any more
        }
      });
    } catch (RejectedExecutionException e) {
      acquiring = false;
      failWaiters(new IllegalStateException("this daemon waits for " + node.settings().waitThreads()
          + " contended locks and semaphores of other daemons already (cluster.wait.threads); " + kind
          + " cannot be waited for now"));
    }
  }

  private void failWaiters(RuntimeException why) {
    List<Waiter> failed;
    synchronized (this) {
      failed = new ArrayList<>(waiters);
      waiters.clear();
    }
    failed.forEach(w -> w.pending.fail(why));
  }

  /** A client's connection closed: a lock it held here is released (off the event loop: that is a cluster call). */
  @Override
  public void sessionClosed(long sessionId) {
    synchronized (this) {
      if (holder == null || holder.sessionId() != sessionId) {
        return;
      }
      holds = 1;
    }
    try {
      node.calls().execute(this::releaseHold);
    } catch (RejectedExecutionException stopping) {
      // this daemon is stopping: its CP session ends, and the permit comes back to the cluster
    }
  }

  @Override
  public long statusSize() {
    return -1;
  }

  @Override
  public synchronized List<Party> statusParties() {
    List<Party> parties = new ArrayList<>();
    if (holder != null) {
      parties.add(new Party("holds", holder, heldSinceNanos));
    }
    waiters.forEach(w -> parties.add(new Party("waits", w.owner, w.pending.sinceNanos())));
    return parties;
  }

  @Override
  public synchronized String statusDetails() {
    return (holder == null ? "not held on this daemon" : "held by " + holder + (reentrant ? " x" + holds : "") + " for "
        + String.format("%.1f s", (System.nanoTime() - heldSinceNanos) / 1e9)) + ", " + waiters.size() + " waiting here";
  }

  @Override
  public void destroy() {
    permit.destroy();
  }
}
