package io.jmanager.server.types;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.CaffeineSpec;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.jmanager.client.SharedCache;
import java.util.HashMap;
import java.util.Map;

/**
 * The daemon side of {@code SharedCache}: a Caffeine cache from a spec string. Maintenance
 * (eviction, expiry) runs on the calling thread, so the cache adds no threads to the daemon.
 */
public final class CacheObject implements Described {
  private final String spec;
  private final Cache<Object, Object> cache;

  public CacheObject(String spec) {
    this.spec = spec;
    CaffeineSpec parsed;
    try {
      parsed = CaffeineSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid Caffeine spec '" + spec + "': " + e.getMessage(), e);
    }
    if (spec.matches("(?s).*initialCapacity\\s*=\\s*\\d{7,}.*")) {
      throw new IllegalArgumentException(
          "invalid Caffeine spec '" + spec + "': initialCapacity of a million or more is refused (the cache grows as entries arrive)");
    }
    this.cache = Caffeine.from(parsed).executor(Runnable::run).build();
  }

  public Object getIfPresent(Object key) {
    return cache.getIfPresent(key);
  }

  public Object putIfAbsent(Object key, Object value) {
    return cache.asMap().putIfAbsent(key, value);
  }

  public Map<Object, Object> getAllPresent(Iterable<?> keys) {
    return new HashMap<>(cache.getAllPresent(keys));
  }

  public void put(Object key, Object value) {
    cache.put(key, value);
  }

  public void putAll(Map<?, ?> map) {
    cache.putAll(map);
  }

  public void invalidate(Object key) {
    cache.invalidate(key);
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }

  public long estimatedSize() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  public SharedCache.Stats stats() {
    CacheStats s = cache.stats();
    return new SharedCache.Stats(s.hitCount(), s.missCount(), s.hitRate(), s.evictionCount(), s.requestCount());
  }

  public HashMap<Object, Object> asMap() {
    return new HashMap<>(cache.asMap());
  }

  @Override
  public long statusSize() {
    return cache.estimatedSize();
  }

  @Override
  public String statusDetails() {
    return spec;
  }
}
