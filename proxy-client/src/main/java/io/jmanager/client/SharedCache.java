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

  /** The cached value, or {@code null}; counts a hit or a miss. */
  V getIfPresent(K key);

  /**
   * The cached value, or one computed by {@code mappingFunction} <em>in the caller</em> and
   * published with an atomic put-if-absent. Two processes that miss at once may both compute; the
   * first to publish wins and both return its value. A {@code null} result is not cached.
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

  /** Atomically caches {@code value} unless {@code key} has a value; returns that value, or null. */
  V putIfAbsent(K key, V value);

  /** The cached values of those keys that have one, in one round trip. */
  Map<K, V> getAllPresent(Iterable<? extends K> keys);

  void put(K key, V value);

  void putAll(Map<? extends K, ? extends V> map);

  void invalidate(K key);

  void invalidateAll();

  /** The approximate number of live entries (expired ones are cleaned up first). */
  long estimatedSize();

  /** A snapshot of the statistics (all zero unless the spec says {@code recordStats}). */
  Stats stats();

  /** A snapshot copy of the live entries; not a view. */
  HashMap<K, V> asMap();

  /**
   * Cache statistics at one moment.
   *
   * @param hitRate hits / requests, 1.0 when there were no requests (as Caffeine)
   */
  record Stats(long hitCount, long missCount, double hitRate, long evictionCount, long requestCount) {}
}
