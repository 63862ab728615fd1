package io.jmanager.client;

import java.util.concurrent.TimeUnit;

/**
 * A shared counting semaphore with {@link java.util.concurrent.Semaphore}'s method names, fair
 * (waiters served first come first served), parked on the daemon. Permits are counted per
 * connection: those a process acquired and did not release return when it exits or disconnects.
 * A bounded semaphore ({@code m.boundedSemaphore}) throws {@link IllegalStateException} when
 * released above its initial permits. Untimed {@code tryAcquire} takes free permits even while
 * others wait, as {@code Semaphore}'s does.
 *
 * <p>To signal between processes (release in one, acquire in another, never released back), use a
 * {@link SharedEvent} or {@link SharedQueue}: a semaphore returns a closing process's unreleased
 * acquisitions. Thread-safe.
 */
public interface SharedSemaphore extends SharedObject {
  /**
   * Takes one permit, waiting (parked on the daemon, no call timeout) behind earlier waiters for
   * as long as it takes.
   *
   * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops the
   *     wait, so no permit is taken
   */
  void acquire() throws InterruptedException;

  /**
   * Takes {@code permits} permits at once, waiting behind earlier waiters for as long as it takes.
   *
   * @param permits how many to take
   * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops the
   *     wait, so no permit is taken
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  void acquire(int permits) throws InterruptedException;

  /** {@return whether one permit was free and is now taken} Never waits. */
  boolean tryAcquire();

  /**
   * Takes {@code permits} permits if that many are free, without waiting.
   *
   * @param permits how many to take
   * @return whether they were taken; if not, none was
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  boolean tryAcquire(int permits);

  /**
   * Takes one permit, waiting behind earlier waiters up to {@code timeout}.
   *
   * @param timeout the longest wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return whether the permit was taken within the time
   * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops the
   *     wait, so no permit is taken
   */
  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Takes {@code permits} permits at once, waiting behind earlier waiters up to {@code timeout}.
   *
   * @param permits how many to take
   * @param timeout the longest wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return whether they were taken within the time; if not, none was
   * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops the
   *     wait, so no permit is taken
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Returns one permit, waking the first waiter it satisfies. Any process may release, as with
   * {@code Semaphore}.
   *
   * @throws IllegalStateException if the semaphore is bounded and already has all its permits
   * @throws IllegalMonitorStateException if this process's permits were lost with an earlier
   *     connection (the daemon took them back), so there is nothing to release
   */
  void release();

  /**
   * Returns {@code permits} permits, waking the waiters they satisfy, first come first served.
   *
   * @param permits how many to return
   * @throws IllegalStateException if the semaphore is bounded and this would exceed its initial
   *     permits; nothing is returned
   * @throws IllegalMonitorStateException if this process's permits were lost with an earlier
   *     connection (the daemon took them back), so there is nothing to release
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  void release(int permits);

  /** {@return the permits free now; a hint only, as other processes take and return them} */
  int availablePermits();
}
