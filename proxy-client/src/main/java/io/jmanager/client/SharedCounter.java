package io.jmanager.client;

/**
 * A shared {@code long} counter that starts at 0, with {@link java.util.concurrent.atomic.AtomicLong}'s
 * names. Every method is one atomic daemon operation. Thread-safe.
 */
public interface SharedCounter extends SharedObject {
  /** {@return the current value} */
  long get();

  /**
   * Replaces the value.
   *
   * @param value the new value
   */
  void set(long value);

  /**
   * Adds {@code delta}, wrapping on overflow as {@code AtomicLong} does.
   *
   * @param delta what to add; negative subtracts
   * @return the new value
   */
  long addAndGet(long delta);

  /**
   * Adds {@code delta}, wrapping on overflow as {@code AtomicLong} does.
   *
   * @param delta what to add; negative subtracts
   * @return the value before the addition
   */
  long getAndAdd(long delta);

  /** {@return the value after adding 1} */
  long incrementAndGet();

  /** {@return the value after subtracting 1} */
  long decrementAndGet();

  /**
   * Sets {@code update} if the value is {@code expect}.
   *
   * @param expect the value the caller last saw
   * @param update the new value
   * @return whether the value was replaced; false if it was not {@code expect}
   */
  boolean compareAndSet(long expect, long update);
}
