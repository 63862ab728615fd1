package io.jmanager.client;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
   * Atomically adds {@code delta} to the number stored under {@code key}, in one round trip, and
   * stores the sum in the type of the value already there: a {@code Long}, {@code Integer}, {@code
   * Short} or {@code Byte} stays one, so an {@code Integer} dict still holds {@code Integer}s. An
   * absent key counts as 0 and starts a {@code Long} (the daemon cannot see {@code V}): to count in
   * a {@code SharedDict<K, Integer>}, {@code putIfAbsent(key, 0)} first.
   *
   * @param key the key whose number changes
   * @param delta what to add; negative subtracts
   * @return the new value
   * @throws IllegalArgumentException if the value under {@code key} is not a Long, Integer, Short
   *     or Byte; nothing is changed
   * @throws ArithmeticException if the sum overflows the value's type (the message names the key,
   *     the value and {@code delta}); nothing is changed
   */
  long increment(K key, long delta);

  /**
   * {@return the entries of {@code keys} that are present, in one round trip (as {@code putAll}
   * writes many in one): a new map in the order of {@code keys}, without the absent ones}
   *
   * @param keys the keys to look up
   * @throws NullPointerException if {@code keys} or one of them is null
   */
  Map<K, V> getAll(Collection<? extends K> keys);

  /**
   * {@return the whole map as a plain {@code HashMap}, the caller's own, in one round trip
   * (Python's {@code _getvalue()})}
   */
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
