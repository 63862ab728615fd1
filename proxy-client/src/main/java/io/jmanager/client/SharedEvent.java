package io.jmanager.client;

import java.time.Duration;

/**
 * A shared flag that processes wait on, Python's {@code Event}: the documented way to ask workers
 * to stop is to have them check or await an event the parent sets. Waits park on the daemon.
 * Thread-safe.
 */
public interface SharedEvent extends SharedObject {
  /** Sets the flag and wakes every waiter, in every process; later waits return at once. */
  void set();

  /** Clears the flag: later waits wait for the next {@link #set()}. */
  void clear();

  /** {@return whether the flag is set now} */
  boolean isSet();

  /**
   * Waits, for as long as it takes, until the event is set; returns at once if it is.
   *
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  void await() throws InterruptedException;

  /**
   * Waits up to {@code timeout} until the event is set.
   *
   * @param timeout the longest wait
   * @return whether the event was set within {@code timeout}
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  boolean await(Duration timeout) throws InterruptedException;
}
