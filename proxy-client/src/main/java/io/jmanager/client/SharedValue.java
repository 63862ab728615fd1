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
  T get();

  void set(T value);

  T getAndSet(T value);

  /** Sets {@code update} if the current value {@code equals} {@code expect}. */
  boolean compareAndSet(T expect, T update);

  default T updateAndGet(UnaryOperator<T> update) {
    while (true) {
      T prev = get();
      T next = update.apply(prev);
      if (compareAndSet(prev, next)) {
        return next;
      }
    }
  }

  default T accumulateAndGet(T x, BinaryOperator<T> accumulator) {
    Objects.requireNonNull(accumulator);
    return updateAndGet(prev -> accumulator.apply(prev, x));
  }
}
