package io.jmanager.client;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A shared cache held by the daemon in Caffeine, built from a Caffeine spec string such as {@code
 * "maximumSize=10000,expireAfterWrite=30s,recordStats"}: entries expire and are evicted as Caffeine
 * does it, for every process at once. Keys and values are copied; nulls are rejected. Thread-safe.
 */
public interface SharedCache<K, V> extends SharedObject {

  /**
   * {@return a copy of the cached value, or {@code null} if there is none}
   * Counts a hit or a miss in {@link #stats()}.
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  V getIfPresent(K key);

  /**
   * The cached value, or one computed by {@code mappingFunction} <em>in the caller</em> and
   * published with an atomic put-if-absent. Two processes that miss at once may both compute; the
   * first to publish wins and both return its value. A {@code null} result is not cached.
   *
   * @param key the key
   * @param mappingFunction computes the value on a miss; runs in this thread, outside any lock
   * @return the cached or published value, or {@code null} if the function returned null
   */
  default V get(K key, Function<? super K, ? extends V> mappingFunction) {
    V cached = getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    V computed = mappingFunction.apply(key);
    if (computed == null) {
      return null;
    }
    V winner = putIfAbsent(key, computed);
    return winner != null ? winner : computed;
  }

  /**
   * Atomically caches {@code value} unless {@code key} has a value.
   *
   * @param key the key
   * @param value the value to cache
   * @return a copy of the value already cached, or {@code null} if {@code value} was cached
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  V putIfAbsent(K key, V value);

  /**
   * {@return copies of the cached values of those keys that have one, in one round trip} Keys
   * without a value are absent from the map, which is the caller's own.
   *
   * @param keys the keys to look up
   */
  Map<K, V> getAllPresent(Iterable<? extends K> keys);

  /**
   * Caches {@code value} under {@code key}, replacing any value; the cache may then evict entries
   * to stay within its spec's bounds.
   *
   * @param key the key
   * @param value the value
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  void put(K key, V value);

  /**
   * Caches every entry of {@code map}, in one round trip.
   *
   * @param map the entries to cache
   * @throws NullPointerException if a key or value is null
   */
  void putAll(Map<? extends K, ? extends V> map);

  /**
   * Discards the value of {@code key}, if any.
   *
   * @param key the key
   */
  void invalidate(K key);

  /** Discards every entry, for every process. */
  void invalidateAll();

  /** {@return the approximate number of live entries} Expired ones are cleaned up first. */
  long estimatedSize();

  /** {@return a snapshot of the statistics: all zero unless the spec says {@code recordStats}} */
  Stats stats();

  /** {@return a snapshot copy of the live entries: not a view, and not counted as hits} */
  HashMap<K, V> asMap();

  /**
   * Cache statistics at one moment.
   *
   * @param hitCount lookups that found a value
   * @param missCount lookups that found none
   * @param hitRate hits / requests, 1.0 when there were no requests (as Caffeine)
   * @param evictionCount entries evicted for the spec's size bound or expired (invalidated ones
   *     are not counted)
   * @param requestCount {@code hitCount + missCount}
   */
  record Stats(long hitCount, long missCount, double hitRate, long evictionCount, long requestCount) {}
}
