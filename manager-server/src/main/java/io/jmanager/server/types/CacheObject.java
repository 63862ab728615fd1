package io.jmanager.server.types;

import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

  /**
   * Creates an empty cache.
   *
   * @param spec a Caffeine spec, such as {@code maximumSize=10000,expireAfterWrite=30s}
   * @throws IllegalArgumentException if the spec is invalid, or asks for an initial capacity of a
   *     million or more
   */
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
    this.cache = build(spec, parsed);
  }

  /**
   * The cache of {@code spec}; one that expires after write gets that lifetime as a per-entry
   * {@link Expiry} instead, the same for every entry it writes, so that an entry restored from the
   * journal can be given what was left of its lifetime.
   */
  private static Cache<Object, Object> build(String spec, CaffeineSpec parsed) {
    java.util.regex.Matcher m = AFTER_WRITE.matcher(spec);
    if (m.find() && !spec.contains("expireAfterAccess")) {
      String rest = (spec.substring(0, m.start()) + "," + spec.substring(m.end())).replaceAll("^[,\\s]+|[,\\s]+$", "")
          .replaceAll(",\\s*,", ",");
      long nanos = durationNanos(m.group(1).trim());
      Caffeine<Object, Object> builder = rest.isEmpty() ? Caffeine.newBuilder() : Caffeine.from(CaffeineSpec.parse(rest));
      return builder.expireAfter(new Expiry<Object, Object>() {
        @Override
        public long expireAfterCreate(Object key, Object value, long currentTime) {
          return nanos;
        }

        @Override
        public long expireAfterUpdate(Object key, Object value, long currentTime, long currentDuration) {
          return nanos;
        }

        @Override
        public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
          return currentDuration;
        }
      }).executor(Runnable::run).build();
    }
    return Caffeine.from(parsed).executor(Runnable::run).build();
  }

  private static final java.util.regex.Pattern AFTER_WRITE =
      java.util.regex.Pattern.compile("expireAfterWrite\\s*=\\s*([^,]+)");

  /**
   * {@return a duration of a Caffeine spec, in nanoseconds}
   *
   * @param v the duration as a spec writes it: {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601
   * @throws IllegalArgumentException if {@code v} is none of these
   */
  public static long durationNanos(String v) {
    if (v.toUpperCase().startsWith("P")) {
      return Duration.parse(v).toNanos();
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
    TimeUnit unit = switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
      case 'd' -> TimeUnit.DAYS;
      case 'h' -> TimeUnit.HOURS;
      case 'm' -> TimeUnit.MINUTES;
      case 's' -> TimeUnit.SECONDS;
      default -> throw new IllegalArgumentException("invalid Caffeine spec duration '" + v + "'");
    };
    return unit.toNanos(n);
  }

  // ---- the journal

  /**
   * {@return {@code [value, expiresAtEpochMillis or -1]} of {@code key}'s entry, or null if it has
   * none} Read without counting a hit or resetting an access lifetime.
   *
   * @param key the key
   */
  public Object[] durableEntry(Object key) {
    Object v = cache.policy().getIfPresentQuietly(key);
    return v == null ? null : new Object[] {v, expiresAtMillis(key)};
  }

  /** {@return every entry as {@code [key, value, expiresAtEpochMillis or -1]}: a snapshot} */
  public List<Object[]> durableEntries() {
    List<Object[]> out = new ArrayList<>();
    for (Map.Entry<Object, Object> e : cache.asMap().entrySet()) {
      out.add(new Object[] {e.getKey(), e.getValue(), expiresAtMillis(e.getKey())});
    }
    return out;
  }

  private long expiresAtMillis(Object key) {
    Policy<Object, Object> p = cache.policy();
    Optional<Duration> left = p.expireVariably().flatMap(v -> v.getExpiresAfter(key));
    if (left.isEmpty()) {
      left = p.expireAfterAccess().flatMap(f -> f.ageOf(key).map(age -> f.getExpiresAfter().minus(age)));
    }
    return left.map(d -> System.currentTimeMillis() + d.toMillis()).orElse(-1L);
  }

  /**
   * Replay: {@code key -> value} with what is left of its lifetime (none: an entry already expired
   * is dropped). Under {@code expireAfterAccess} the lifetime starts again at restore.
   *
   * @param key the key
   * @param value the value
   * @param expiresAtMillis when the entry expires, in epoch milliseconds; -1 for never
   */
  public void restore(Object key, Object value, long expiresAtMillis) {
    if (expiresAtMillis < 0) {
      cache.put(key, value);
      return;
    }
    long left = expiresAtMillis - System.currentTimeMillis();
    if (left <= 0) {
      return;
    }
    Optional<Policy.VarExpiration<Object, Object>> variable = cache.policy().expireVariably();
    if (variable.isPresent()) {
      variable.get().put(key, value, Duration.ofMillis(left));
    } else {
      cache.put(key, value);
    }
  }

  /**
   * {@return the value of {@code key}, or null} Counts a hit or a miss.
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  public Object getIfPresent(Object key) {
    return cache.getIfPresent(key);
  }

  /**
   * Caches {@code value} unless {@code key} has a value, atomically.
   *
   * @param key the key
   * @param value the value
   * @return the value already cached, or null if {@code value} was
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public Object putIfAbsent(Object key, Object value) {
    return cache.asMap().putIfAbsent(key, value);
  }

  /**
   * {@return the cached values of those {@code keys} that have one, in a new map}
   *
   * @param keys the keys
   * @throws NullPointerException if a key is null
   */
  public Map<Object, Object> getAllPresent(Iterable<?> keys) {
    return new HashMap<>(cache.getAllPresent(keys));
  }

  /**
   * Caches {@code value} under {@code key}, replacing any value.
   *
   * @param key the key
   * @param value the value
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public void put(Object key, Object value) {
    cache.put(key, value);
  }

  /**
   * Caches every entry of {@code map}.
   *
   * @param map the entries
   * @throws NullPointerException if a key or value is null
   */
  public void putAll(Map<?, ?> map) {
    cache.putAll(map);
  }

  /**
   * Discards the value of {@code key}, if any.
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  public void invalidate(Object key) {
    cache.invalidate(key);
  }

  /**
   * Discards every entry.
   */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  /**
   * {@return the approximate number of entries, after expired ones are cleaned up}
   */
  public long estimatedSize() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /**
   * {@return the statistics now: all zero unless the spec says {@code recordStats}}
   */
  public SharedCache.Stats stats() {
    CacheStats s = cache.stats();
    return new SharedCache.Stats(s.hitCount(), s.missCount(), s.hitRate(), s.evictionCount(), s.requestCount());
  }

  /**
   * {@return a copy of the live entries; not counted as hits}
   */
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
