package io.jmanager.server.cluster;

import com.hazelcast.core.IFunction;
import com.hazelcast.cp.IAtomicReference;
import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Described;
import io.jmanager.server.types.Owner;
import io.jmanager.server.types.Pending;
import io.jmanager.server.types.SessionAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A semaphore or bounded semaphore in cluster mode. Its whole state (free permits, and the permits
 * each client session holds, keyed by daemon and session) is one CP {@code IAtomicReference},
 * changed only by functions that Raft applies in one order on the CP members; so the rules of one
 * daemon's semaphore hold across daemons exactly: any client may release, a release by another
 * session than took the permit lowers that session's record, a bounded semaphore refuses a release
 * above its initial permits, and a client's lost connection returns what its session held.
 *
 * <p>When a daemon dies, every other daemon sees its member leave and returns the permits its
 * sessions held (the first to get there does; the others find nothing left). A call that cannot
 * get its permits parks on its daemon, costing no thread: a release anywhere signals every daemon,
 * and parked calls also retry every {@link ClusterNode#RETRY_MILLIS} ms. Waiters on one daemon
 * are served in the order they came; across daemons, whichever daemon asks first gets the permits.
 *
 * <p>Why not Hazelcast's session-aware {@code ISemaphore}: it accepts a release only from the CP
 * session (the daemon) that acquired, and jmanager lets any client release.
 */
public final class ClusterSemaphore implements ClusterObject, Described, SessionAware, ClusterNode.Parking {
  private record Waiter(Pending pending, Owner owner, long sessionId, int permits, Object answer) {}

  private final ClusterNode node;
  private final String structure;
  private final IAtomicReference<State> state;
  private final int initial;
  private final boolean bounded;
  private final String member; // this daemon's member uuid: the prefix of its sessions' keys
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by this
  private final ServePasses passes;
  private volatile State seen; // the state after this daemon's last change, for status
  /** This daemon's sessions that asked for permits: only their ends need a CP call. */
  private final java.util.Set<Long> askers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The semaphore {@code name} of {@code node}'s cluster.
   *
   * @param permits the permits available at first (for a bounded one, also the most it holds)
   * @param bounded whether releasing above {@code permits} is an error
   * @throws IllegalArgumentException if bounded with negative {@code permits}
   * @throws IllegalStateException if the CP subsystem has not formed yet (too few daemons)
   */
  public ClusterSemaphore(ClusterNode node, String name, int permits, boolean bounded) {
    if (bounded && permits < 0) {
      throw new IllegalArgumentException("a bounded semaphore needs permits >= 0, got " + permits);
    }
    node.requireCp();
    this.node = node;
    this.structure = ClusterNode.structure(name);
    this.state = node.hazelcast().getCPSubsystem().getAtomicReference(structure);
    this.initial = permits;
    this.bounded = bounded;
    this.member = node.hazelcast().getCluster().getLocalMember().getUuid().toString();
    this.passes = new ServePasses(node.calls(), this::serveParked, () -> "semaphore " + name);
  }

  private String key(long sessionId) {
    return member + "/" + sessionId;
  }

  // ---- acquiring

  /** Takes one permit, parking the call behind this daemon's earlier waiters; {@return null, or the parked call} */
  public Object acquire(CallContext ctx) {
    return acquire(ctx, 1);
  }

  /** Takes {@code permits} at once, parking the call until they are free; {@return null, or the parked call} */
  public Object acquire(CallContext ctx, int permits) {
    check(permits);
    return take(ctx.sessionId(), permits, true) ? null : park(ctx, permits, null);
  }

  /** {@return whether one permit was free and is now the caller's session's} */
  public boolean tryAcquire(CallContext ctx) {
    return tryAcquire(ctx, 1);
  }

  /** {@return whether {@code permits} were free and are now the caller's session's, taken even past waiters} */
  public boolean tryAcquire(CallContext ctx, int permits) {
    check(permits);
    return take(ctx.sessionId(), permits, false);
  }

  /** As {@link #acquire(CallContext)}, up to {@code timeout}; {@return true, or the parked call (false at the timeout)} */
  public Object tryAcquire(CallContext ctx, long timeout, TimeUnit unit) {
    return tryAcquire(ctx, 1, timeout, unit);
  }

  /** As {@link #acquire(CallContext, int)}, up to {@code timeout}; {@return true, or the parked call (false at the timeout)} */
  public Object tryAcquire(CallContext ctx, int permits, long timeout, TimeUnit unit) {
    check(permits);
    long nanos = unit.toNanos(timeout);
    return take(ctx.sessionId(), permits, true) ? Boolean.TRUE : park(ctx, permits, true).timeoutAfter(nanos, false);
  }

  /** Takes permits from the cluster if they are free (and, when fair, nobody waits here first). */
  private boolean take(long sessionId, int permits, boolean fair) {
    if (fair) {
      synchronized (this) {
        if (!waiters.isEmpty()) {
          return false;
        }
      }
    }
    askers.add(sessionId);
    return change(new Acquire(initial, bounded, key(sessionId), permits)).outcome == State.DONE;
  }

  private Pending park(CallContext ctx, int permits, Object answer) {
    Waiter w = new Waiter(ctx.park(), new Owner(ctx.sessionId(), ctx.threadId(), ctx.pid()), ctx.sessionId(), permits, answer);
    askers.add(ctx.sessionId());
    synchronized (this) {
      waiters.add(w);
      node.wakeOnSignal(structure, this);
    }
    w.pending.onAbandon(() -> {
      synchronized (this) {
        waiters.remove(w);
      }
      requestServe(); // the head may have been blocking smaller requests behind it
    });
    requestServe(); // permits may have come back between the try and the parking
    return w.pending;
  }

  // ---- releasing

  /** Returns one permit. @throws IllegalStateException if bounded and all permits are already available */
  public void release(CallContext ctx) {
    release(ctx, 1);
  }

  /**
   * Returns {@code permits}: the caller's session's record of held permits goes down first, then
   * (a permit another session took) other sessions'.
   *
   * @throws IllegalStateException if bounded and this would exceed the initial permits; nothing is returned
   */
  public void release(CallContext ctx, int permits) {
    check(permits);
    State s = change(new Release(initial, bounded, key(ctx.sessionId()), permits));
    if (s.outcome == State.REFUSED) {
      throw new IllegalStateException("bounded semaphore released too many times: " + s.available + " of " + initial
          + " permits available, releasing " + permits);
    }
    released();
  }

  /** {@return the permits free now, in the cluster} */
  public int availablePermits() {
    State s = state.get();
    return s == null ? initial : s.available;
  }

  /** A client's connection closed: the permits its session held come back (off the event loop: that is a CP call). */
  @Override
  public void sessionClosed(long sessionId) {
    if (!askers.remove(sessionId)) {
      return; // it never asked: it holds none (only its own acquires add to its record)
    }
    try {
      node.calls().execute(() -> {
        change(new ReturnHeld(initial, bounded, key(sessionId)));
        released();
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // this daemon is stopping: the others return its sessions' permits when its member leaves
    }
  }

  /**
   * A daemon left the cluster: every semaphore's permits held by its sessions come back. Each
   * remaining daemon calls this; the first returns them, the others find none.
   *
   * @param node this daemon's node
   * @param names the cluster's semaphores (from the directory), by name
   * @param gone the member that left
   */
  static void memberLeft(ClusterNode node, Map<String, ?> names, UUID gone) {
    names.forEach((name, entry) -> {
      String structure = ClusterNode.structure(name);
      IAtomicReference<State> ref = node.hazelcast().getCPSubsystem().getAtomicReference(structure);
      State s = ref.alterAndGet(new ReturnHeld(0, false, gone + "/"));
      if (s != null && s.outcome == State.DONE) {
        node.signal(structure);
      }
    });
  }

  private void released() {
    node.signal(structure); // waiters on other daemons
    requestServe();
  }

  private State change(IFunction<State, State> f) {
    State s = state.alterAndGet(f);
    seen = s;
    return s;
  }

  // ---- parked calls

  @Override
  public synchronized boolean hasParked() {
    return !waiters.isEmpty();
  }

  @Override
  public void requestServe() {
    passes.request();
  }

  /** Grants this daemon's waiters, first come first served, while the cluster has their permits. */
  private void serveParked() {
    while (true) {
      Waiter w;
      synchronized (this) {
        while ((w = waiters.peek()) != null && !w.pending.isWaiting()) {
          waiters.poll();
        }
      }
      if (w == null) {
        return;
      }
      State now = state.get();
      if (now != null && now.available < w.permits || now == null && initial < w.permits) {
        return; // a read costs no Raft commit: retries wait for the permits this way
      }
      if (change(new Acquire(initial, bounded, key(w.sessionId), w.permits)).outcome != State.DONE) {
        return;
      }
      synchronized (this) {
        waiters.remove(w);
      }
      if (!w.pending.complete(w.answer)) { // it gave up meanwhile: its permits go back
        change(new Release(initial, bounded, key(w.sessionId), w.permits));
        node.signal(structure);
      }
    }
  }

  private static void check(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative, got " + permits);
    }
  }

  // ---- status

  @Override
  public long statusSize() {
    return availablePermits();
  }

  /** This daemon's holders by session (a permit has no thread), then its waiters. */
  @Override
  public synchronized List<Party> statusParties() {
    List<Party> parties = new ArrayList<>();
    State s = seen;
    if (s != null) {
      String prefix = member + "/";
      s.held.forEach((k, permits) -> {
        if (k.startsWith(prefix)) {
          parties.add(new Party("holds " + permits, new Owner(Long.parseLong(k.substring(prefix.length())), -1, -1), -1));
        }
      });
    }
    waiters.forEach(w -> parties.add(new Party("waits", w.owner, w.pending.sinceNanos())));
    return parties;
  }

  @Override
  public String statusDetails() {
    State s = state.get();
    int available = s == null ? initial : s.available;
    int holders = s == null ? 0 : s.held.size();
    synchronized (this) {
      return available + " of " + initial + " permits available in the cluster" + (bounded ? " (bounded)" : "") + ", "
          + holders + " holding sessions, " + waiters.size() + " waiting on this daemon";
    }
  }

  @Override
  public void destroy() {
    node.forget(structure, this);
    state.destroy();
  }

  // ---- the state and the functions Raft applies to it

  /** The semaphore's state in the CP subsystem, with the outcome of the function that made it. */
  static final class State implements Serializable {
    @Serial private static final long serialVersionUID = 1;
    static final int DONE = 1;
    static final int NOT_DONE = 0;
    static final int REFUSED = -1;

    final int initial;
    final boolean bounded;
    int available;
    final HashMap<String, Integer> held;
    int outcome;

    State(int initial, boolean bounded, int available, HashMap<String, Integer> held) {
      this.initial = initial;
      this.bounded = bounded;
      this.available = available;
      this.held = held;
    }

    /** A copy of {@code s} to change, or the state of a new semaphore. */
    static State of(State s, int initial, boolean bounded) {
      return s == null ? new State(initial, bounded, initial, new HashMap<>())
          : new State(s.initial, s.bounded, s.available, new HashMap<>(s.held));
    }

    /** Lowers the record of held permits: {@code key}'s first, then other sessions', as one daemon does. */
    void forget(String key, int permits) {
      int left = take(key, permits);
      for (var it = new ArrayList<>(held.keySet()).iterator(); left > 0 && it.hasNext(); ) {
        left = take(it.next(), left);
      }
    }

    private int take(String key, int permits) {
      int had = held.getOrDefault(key, 0);
      int taken = Math.min(had, permits);
      if (taken == had) {
        held.remove(key);
      } else {
        held.put(key, had - taken);
      }
      return permits - taken;
    }

    /** Gives back what the sessions whose keys {@code match} held; {@return whether there was any} */
    boolean giveBack(java.util.function.Predicate<String> match) {
      int back = 0;
      for (var it = held.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (match.test(e.getKey())) {
          back += e.getValue();
          it.remove();
        }
      }
      available += bounded ? Math.min(back, initial - available) : back;
      return back > 0;
    }
  }

  /** Takes {@code permits} for session {@code key} if they are free. */
  record Acquire(int initial, boolean bounded, String key, int permits) implements IFunction<State, State> {
    @Override
    public State apply(State current) {
      State s = State.of(current, initial, bounded);
      if (s.available >= permits) {
        s.available -= permits;
        if (permits > 0) {
          s.held.merge(key, permits, Integer::sum);
        }
        s.outcome = State.DONE;
      } else {
        s.outcome = State.NOT_DONE;
      }
      return s;
    }
  }

  /** Returns {@code permits}, released by session {@code key}; refused above a bounded semaphore's initial permits. */
  record Release(int initial, boolean bounded, String key, int permits) implements IFunction<State, State> {
    @Override
    public State apply(State current) {
      State s = State.of(current, initial, bounded);
      if (s.bounded && (long) s.available + permits > s.initial) {
        s.outcome = State.REFUSED;
        return s;
      }
      s.forget(key, permits);
      s.available += permits;
      s.outcome = State.DONE;
      return s;
    }
  }

  /** Returns what session {@code key} held, or (a key ending in {@code /}) every session of a daemon. */
  record ReturnHeld(int initial, boolean bounded, String key) implements IFunction<State, State> {
    @Override
    public State apply(State current) {
      if (current == null) {
        return null; // never used: nothing held
      }
      State s = State.of(current, initial, bounded);
      boolean any = s.giveBack(key.endsWith("/") ? k -> k.startsWith(key) : key::equals);
      s.outcome = any ? State.DONE : State.NOT_DONE;
      return s;
    }
  }
}
