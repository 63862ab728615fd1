package io.jmanager.client.internal;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The answer slot of one call: completed once by the event loop, awaited by the calling thread.
 * The caller first spins briefly ({@code jmanager.client.spinMicros}, default {@value
 * #DEFAULT_SPIN_MICROS} µs) because a loopback answer usually arrives within that time, and a
 * parked thread pays a wake-up on the way back; then it parks.
 */
final class PendingCall {
  static final int DEFAULT_SPIN_MICROS = 0;
  private static final long SPIN_NANOS =
      Long.getLong("jmanager.client.spinMicros", DEFAULT_SPIN_MICROS) * 1000L;

  private volatile Object outcome; // a Message, or a Throwable to rethrow
  private volatile Thread waiter;

  /** Sets the outcome (first one wins) and wakes the waiting thread. */
  void complete(Object value) {
    if (outcome == null) {
      outcome = value;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /**
   * Waits for the outcome.
   *
   * @param timeoutNanos {@code <= 0} waits without a deadline
   * @throws InterruptedException if interrupted, when {@code interruptible}; otherwise the wait
   *     continues and the interrupt flag is restored on return
   */
  Object await(long timeoutNanos, boolean interruptible) throws InterruptedException, TimeoutException {
    Object r = outcome;
    if (r != null) {
      return r;
    }
    long start = System.nanoTime();
    if (SPIN_NANOS > 0) {
      while ((r = outcome) == null && System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      }
      if (r != null) {
        return r;
      }
    }
    waiter = Thread.currentThread();
    boolean interrupted = false;
    try {
      while ((r = outcome) == null) {
        if (timeoutNanos > 0) {
          long left = timeoutNanos - (System.nanoTime() - start);
          if (left <= 0) {
            throw new TimeoutException();
          }
          LockSupport.parkNanos(this, left);
        } else {
          LockSupport.park(this);
        }
        if (Thread.interrupted()) {
          if (interruptible) {
            throw new InterruptedException();
          }
          interrupted = true;
        }
      }
      return r;
    } finally {
      waiter = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
