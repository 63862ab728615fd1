package io.jmanager.client;

import java.util.Collection;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * A shared map, Python's {@code manager.dict()} with Java's {@link ConcurrentMap} contract. Keys
 * and values are copied to and from the daemon; nulls are rejected with {@link
 * NullPointerException}. {@code putIfAbsent}, {@code replace} and {@code remove(k, v)} are single
 * atomic daemon operations, so the interface's default {@code merge}, {@code compute} and {@code
 * computeIfAbsent} run in the caller as correct retry loops: many processes calling {@code
 * merge(k, 1, Integer::sum)} lose no update. {@link #increment} does the same in one round trip.
 *
 * <p>{@link #keySet()}, {@link #values()} and {@link #entrySet()} return immutable snapshots taken
 * in one round trip, not live views. Thread-safe.
 */
public interface SharedDict<K, V> extends ConcurrentMap<K, V>, SharedObject {

  /**
   * Atomically adds {@code delta} to the number stored under {@code key} (absent counts as 0, and
   * the result is stored as a {@code Long}; an {@code Integer} stays an {@code Integer}).
   *
   * @return the new value
   * @throws IllegalArgumentException if the value under {@code key} is not an Integer or Long
   * @throws ArithmeticException if an Integer value would overflow
   */
  long increment(K key, long delta);

  /** The whole map as a plain {@code HashMap}, in one round trip (Python's {@code _getvalue()}). */
  HashMap<K, V> copy();

  /** An immutable snapshot of the keys. */
  @Override
  Set<K> keySet();

  /** An immutable snapshot of the values. */
  @Override
  Collection<V> values();

  /** An immutable snapshot of the entries. */
  @Override
  Set<Entry<K, V>> entrySet();
}
