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
  int await() throws InterruptedException, BrokenBarrierException;

  int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

  /** Breaks the barrier for those waiting, then makes it usable again. */
  void reset();

  /** Breaks the barrier (Python's {@code abort()}). */
  void abort();

  int parties();

  int numberWaiting();

  boolean isBroken();
}
