package io.jmanager.server.types;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * The daemon side of {@code SharedBarrier}, with {@link java.util.concurrent.CyclicBarrier}'s rules:
 * {@code await} answers the arrival index ({@code parties - 1} for the first, 0 for the last); a
 * party that times out gets {@link TimeoutException} and breaks the barrier, so the others get
 * {@link BrokenBarrierException}, as does a party whose wait is abandoned (interrupt, or its
 * session closed). A broken barrier stays broken until {@link #reset()}.
 */
public final class BarrierObject implements Described {
  private record Party(Pending pending, int index) {}

  private final int parties;
  private List<Party> arrived = new ArrayList<>();
  private boolean broken;

  /**
   * Creates the barrier.
   *
   * @param parties the arrivals that trip it
   * @throws IllegalArgumentException if {@code parties} is less than 1
   */
  public BarrierObject(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
    }
    this.parties = parties;
  }

  /**
   * Arrives: the last party trips the barrier and answers every waiter; the others park.
   *
   * @param ctx the call
   * @return 0 (the last to arrive), or the {@link Pending} of the parked call, answered with the
   *     arrival index or failed with {@link BrokenBarrierException}
   * @throws BrokenBarrierException if the barrier is broken, or a waiting party left just now
   */
  public synchronized Object await(CallContext ctx) throws BrokenBarrierException {
    return arrive(ctx, false, 0);
  }

  /**
   * As {@link #await(CallContext)}, up to {@code timeout}: the party that times out fails with
   * {@link TimeoutException} and breaks the barrier.
   *
   * @param ctx the call
   * @param timeout the longest wait; zero or less times out at once unless this party trips it
   * @return 0 (the last to arrive), or the {@link Pending} of the parked call
   * @throws BrokenBarrierException if the barrier is broken, or a waiting party left just now
   */
  public synchronized Object await(CallContext ctx, Duration timeout) throws BrokenBarrierException {
    return arrive(ctx, true, Math.max(0, timeout.toNanos())); // a timeout of zero or less times out at once
  }

  private Object arrive(CallContext ctx, boolean timed, long timeoutNanos) throws BrokenBarrierException {
    if (broken) {
      throw new BrokenBarrierException("barrier is broken; reset() it first");
    }
    int index = parties - 1 - arrived.size();
    if (index == 0) {
      if (arrived.stream().anyMatch(p -> !p.pending.isWaiting())) {
        breakBarrier(); // a party timed out or left just now: this round cannot trip
        throw new BrokenBarrierException("a party left before the barrier tripped");
      }
      List<Party> generation = arrived;
      arrived = new ArrayList<>();
      generation.forEach(p -> p.pending.complete(p.index));
      return 0;
    }
    Party me = new Party(ctx.park(), index);
    arrived.add(me);
    List<Party> generation = arrived;
    me.pending.onAbandon(() -> {
      synchronized (this) {
        if (generation == arrived && arrived.remove(me)) {
          breakBarrier();
        }
      }
    });
    if (timed) {
      // decided under the barrier's lock: of parties timing out at once, exactly one gets the
      // TimeoutException and breaks the barrier; the others find it broken, as CyclicBarrier does
      me.pending.decideTimeoutAfter(timeoutNanos, () -> {
        synchronized (this) {
          if (generation == arrived && arrived.remove(me) && me.pending.fail(new TimeoutException("barrier await timed out"))) {
            breakBarrier();
          }
        }
      });
    }
    return me.pending;
  }

  private void breakBarrier() {
    broken = true;
    List<Party> waiting = arrived;
    arrived = new ArrayList<>();
    waiting.forEach(p -> p.pending.fail(new BrokenBarrierException("another party timed out, was interrupted, left or aborted")));
  }

  /** Breaks the barrier for current waiters and makes it usable again. */
  public synchronized void reset() {
    if (!arrived.isEmpty()) {
      breakBarrier();
    }
    broken = false;
  }

  /** Breaks the barrier (Python's {@code abort()}): waiters and later callers get BrokenBarrierException. */
  public synchronized void abort() {
    breakBarrier();
  }

  /** {@return the arrivals that trip the barrier} */
  public int parties() {
    return parties;
  }

  /** {@return the parties parked at the barrier now} */
  public synchronized int numberWaiting() {
    return arrived.size();
  }

  /** {@return whether the barrier is broken, until {@link #reset()}} */
  public synchronized boolean isBroken() {
    return broken;
  }

  @Override
  public synchronized long statusSize() {
    return arrived.size();
  }

  @Override
  public synchronized String statusDetails() {
    return arrived.size() + " of " + parties + " parties waiting" + (broken ? ", broken" : "");
  }
}
