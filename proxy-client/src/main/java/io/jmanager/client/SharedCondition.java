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

  void unlock();

  /** Releases the lock, waits for a signal, and re-acquires the lock. */
  void await() throws InterruptedException;

  /** As {@link #await()}, giving up after {@code timeout}; returns false if it timed out. */
  boolean await(Duration timeout) throws InterruptedException;

  /** Wakes the longest-waiting thread, in any process. */
  void signal();

  /** Wakes every waiting thread. */
  void signalAll();
}
