package io.jmanager.client;

import java.time.Duration;

/**
 * A shared condition variable with its own reentrant lock, Python's {@code Condition}. Hold the
 * lock ({@link #lock()}) to {@link #await()}, {@link #signal()} or {@link #signalAll()}; without
 * it they throw {@link IllegalMonitorStateException}. {@code await} releases the lock while
 * waiting (parked on the daemon) and holds it again when it returns. Thread-safe.
 */
public interface SharedCondition extends SharedObject {
  /** Takes the condition's lock (reentrant), waiting as long as needed. */
  @Blocking
  void lock();

  /**
   * Releases one hold of the condition's lock; the lock is free when the holder has unlocked as
   * often as it locked.
   *
   * @throws IllegalMonitorStateException if this thread does not hold the lock, or held it on a
   *     connection since lost
   */
  void unlock();

  /**
   * Releases the lock, waits for a signal for as long as it takes, and holds the lock again before
   * returning.
   *
   * @throws InterruptedException if this thread is interrupted while waiting; the lock is held
   *     again before it is thrown
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  void await() throws InterruptedException;

  /**
   * As {@link #await()}, giving up the wait for a signal after {@code timeout}; the lock is held
   * again either way.
   *
   * @param timeout the longest wait for a signal
   * @return false if it timed out, true if signalled
   * @throws InterruptedException if this thread is interrupted while waiting; the lock is held
   *     again before it is thrown
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  boolean await(Duration timeout) throws InterruptedException;

  /** Wakes the longest-waiting thread, in any process. */
  void signal();

  /** Wakes every waiting thread. */
  void signalAll();
}
