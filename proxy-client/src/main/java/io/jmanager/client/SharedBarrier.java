package io.jmanager.client;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A shared barrier for a fixed number of parties, with {@link java.util.concurrent.CyclicBarrier}'s
 * rules (Python's {@code Barrier}): {@code await} returns the arrival index ({@code parties() - 1}
 * for the first to arrive, 0 for the last) and the barrier then resets for the next round. A party
 * whose timed await expires gets {@link TimeoutException} and the others {@link
 * BrokenBarrierException}; so do the others when a waiting party is interrupted or its process
 * dies. A broken barrier stays broken until {@link #reset()}. Thread-safe.
 */
public interface SharedBarrier extends SharedObject {
  /**
   * Arrives and waits, for as long as it takes, until every party has arrived.
   *
   * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
   * @throws InterruptedException if this thread is interrupted while waiting; the barrier breaks
   *     for the others
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
   */
  int await() throws InterruptedException, BrokenBarrierException;

  /**
   * Arrives and waits up to {@code timeout} until every party has arrived.
   *
   * @param timeout the longest wait; zero or less times out at once unless this is the last party
   * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
   * @throws InterruptedException if this thread is interrupted while waiting; the barrier breaks
   *     for the others
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
   * @throws TimeoutException if the time runs out; the barrier breaks for the others
   */
  int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

  /** Breaks the barrier for those waiting, then makes it usable again. */
  void reset();

  /** Breaks the barrier (Python's {@code abort()}). */
  void abort();

  /** {@return the number of parties needed to trip the barrier, fixed at creation} */
  int parties();

  /** {@return the number of parties waiting at the barrier now} */
  int numberWaiting();

  /** {@return whether the barrier is broken: every await throws until {@link #reset()}} */
  boolean isBroken();
}
