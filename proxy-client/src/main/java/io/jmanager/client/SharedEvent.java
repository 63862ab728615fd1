package io.jmanager.client;

import java.time.Duration;

/**
 * A shared flag that processes wait on, Python's {@code Event}: the documented way to ask workers
 * to stop is to have them check or await an event the parent sets. Waits park on the daemon.
 * Thread-safe.
 */
public interface SharedEvent extends SharedObject {
  void set();

  void clear();

  boolean isSet();

  /** Waits until the event is set. */
  void await() throws InterruptedException;

  /** Waits up to {@code timeout}; returns whether the event is set. */
  boolean await(Duration timeout) throws InterruptedException;
}
