package io.jmanager.client;

import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A shared single value, Python's {@code manager.Value} with {@link
 * java.util.concurrent.atomic.AtomicReference}'s names. The value is copied to and from the daemon,
 * so {@link #compareAndSet} compares with {@code equals}, not identity. {@link #updateAndGet} and
 * {@link #accumulateAndGet} run the function in the caller and publish with {@code compareAndSet},
 * retrying on contention (the function may run more than once). Thread-safe.
 */
public interface SharedValue<T> extends SharedObject {
  /** {@return a copy of the current value; {@code null} if that is what it holds} */
  T get();

  /**
   * Replaces the value.
   *
   * @param value the new value, copied to the daemon; may be null
   */
  void set(T value);

  /**
   * Replaces the value and returns the old one, atomically.
   *
   * @param value the new value; may be null
   * @return a copy of the value it replaced
   */
  T getAndSet(T value);

  /**
   * Sets {@code update} if the current value {@code equals} {@code expect} (two nulls are equal),
   * atomically.
   *
   * @param expect the value the caller last saw
   * @param update the new value
   * @return whether the value was replaced; false if another caller changed it first
   */
  boolean compareAndSet(T expect, T update);

  /**
   * Applies {@code update} to the current value and publishes the result with {@link
   * #compareAndSet}, retrying until no other caller changed the value in between.
   *
   * @param update a side-effect-free function; it runs in the caller, possibly more than once
   * @return the value published
   */
  default T updateAndGet(UnaryOperator<T> update) {
    while (true) {
      T prev = get();
      T next = update.apply(prev);
      if (compareAndSet(prev, next)) {
        return next;
      }
    }
  }

  /**
   * Combines the current value with {@code x} and publishes the result, as {@link #updateAndGet}
   * does.
   *
   * @param x the second argument of {@code accumulator}
   * @param accumulator a side-effect-free function of the current value and {@code x}; it runs in
   *     the caller, possibly more than once
   * @return the value published
   * @throws NullPointerException if {@code accumulator} is null
   */
  default T accumulateAndGet(T x, BinaryOperator<T> accumulator) {
    Objects.requireNonNull(accumulator);
    return updateAndGet(prev -> accumulator.apply(prev, x));
  }
}
