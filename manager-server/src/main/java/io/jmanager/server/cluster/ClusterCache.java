package io.jmanager.server.cluster;

import com.github.benmanes.caffeine.cache.CaffeineSpec;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.crdt.pncounter.PNCounter;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import io.jmanager.client.SharedCache;
import io.jmanager.server.types.CacheObject;
import io.jmanager.server.types.Described;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A cache in cluster mode: an {@code IMap} of key bytes to value bytes whose eviction and expiry
 * are translated from the cache's Caffeine spec.
 *
 * <ul>
 *   <li>{@code expireAfterWrite} is each entry's time to live, set by every write;
 *   <li>{@code expireAfterAccess} is each entry's max-idle time, which reads and writes reset;
 *   <li>Hazelcast keeps both in whole seconds: an entry expires up to a second after its
 *       lifetime (never before);
 *   <li>{@code maximumSize=N} bounds each of the cluster's partitions to {@code ceil(N / partitions)}
 *       entries, evicting the least frequently used (Caffeine's policy also weighs frequency); the
 *       bound is as approximate as Caffeine's, and one smaller than the partition count cannot be
 *       kept, so it is refused;
 *   <li>{@code recordStats} counts hits and misses in two CRDT counters, and evictions and expiries
 *       where they happen, on the member that owns the entry;
 *   <li>{@code initialCapacity} is a sizing hint, accepted and not needed;
 *   <li>{@code maximumWeight}, {@code weakKeys}, {@code weakValues}, {@code softValues} and {@code
 *       refreshAfterWrite} are refused: a cluster holds bytes, has no weigher nor loader.
 * </ul>
 */
public final class ClusterCache implements ClusterObject, Described {
  /** What a spec asks for, as Hazelcast does it. */
  record Translation(long ttlMillis, long maxIdleMillis, int perPartition, boolean stats) {}

  private final String spec;
  private final IMap<byte[], byte[]> map;
  private final ValueCodec codec;
  private final Translation t;
  private final PNCounter hits;
  private final PNCounter misses;
  private final PNCounter evictions;

  /**
   * The cache {@code name} of {@code node}'s cluster.
   *
   * @param spec the cache's Caffeine spec
   * @throws IllegalArgumentException if the spec is invalid or asks for what a cluster cannot do
   */
  public ClusterCache(ClusterNode node, String name, String spec) {
    this.spec = spec;
    this.codec = node.codec();
    this.t = configure(node, name, spec);
    String structure = ClusterNode.structure(name);
    this.map = node.hazelcast().getMap(structure);
    this.hits = node.hazelcast().getPNCounter(structure + ":hits");
    this.misses = node.hazelcast().getPNCounter(structure + ":misses");
    this.evictions = node.hazelcast().getPNCounter(structure + ":evictions");
  }

  /**
   * Translates {@code spec}, adds the map's eviction config to the cluster (before the map is used
   * here) and, with {@code recordStats}, counts the evictions of the entries this member owns.
   * Every daemon does this for every cache, whether or not its clients use it, as any member may
   * own its entries.
   */
  static Translation configure(ClusterNode node, String name, String spec) {
    Translation t = translate(spec, node.hazelcast().getPartitionService().getPartitions().size());
    String structure = ClusterNode.structure(name);
    MapConfig existing = node.hazelcast().getConfig().getMapConfigOrNull(structure);
    Integer bound = existing == null ? null
        : existing.getEvictionConfig().getEvictionPolicy() == EvictionPolicy.NONE ? 0 : existing.getEvictionConfig().getSize();
    node.requireSameConfig(bound, t.perPartition, "cache '" + name + "'", "maximumSize");
    if (t.perPartition > 0 && existing == null) {
      MapConfig c = new MapConfig(structure);
      c.getEvictionConfig().setEvictionPolicy(EvictionPolicy.LFU).setMaxSizePolicy(MaxSizePolicy.PER_PARTITION)
          .setSize(t.perPartition);
      node.hazelcast().getConfig().addMapConfig(c);
    }
    if (t.stats && node.countEvictionsOf(structure)) {
      PNCounter evicted = node.hazelcast().getPNCounter(structure + ":evictions");
      node.hazelcast().<byte[], byte[]>getMap(structure).addLocalEntryListener(new Evictions(node, evicted));
    }
    return t;
  }

  /** Counts the evictions and expiries of the entries this member owns, off Hazelcast's event threads. */
  private record Evictions(ClusterNode node, PNCounter counter)
      implements EntryEvictedListener<byte[], byte[]>, EntryExpiredListener<byte[], byte[]> {
    @Override
    public void entryEvicted(com.hazelcast.core.EntryEvent<byte[], byte[]> event) {
      node.calls().execute(counter::incrementAndGet);
    }

    @Override
    public void entryExpired(com.hazelcast.core.EntryEvent<byte[], byte[]> event) {
      node.calls().execute(counter::incrementAndGet);
    }
  }

  /**
   * {@return what {@code spec} asks for, in Hazelcast's terms}
   *
   * @param partitions the cluster's partition count
   * @throws IllegalArgumentException if the spec is invalid or asks for what a cluster cannot do
   */
  static Translation translate(String spec, int partitions) {
    try {
      CaffeineSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid Caffeine spec '" + spec + "': " + e.getMessage(), e);
    }
    long ttl = 0;
    long idle = 0;
    int perPartition = 0;
    boolean stats = false;
    for (String option : spec.split(",")) {
      String[] kv = option.split("=", 2);
      String key = kv[0].trim();
      String value = kv.length > 1 ? kv[1].trim() : "";
      switch (key) {
        case "" , "initialCapacity" -> { }
        case "expireAfterWrite" -> ttl = lifetimeMillis(CacheObject.durationNanos(value));
        case "expireAfterAccess" -> idle = lifetimeMillis(CacheObject.durationNanos(value));
        case "recordStats" -> stats = true;
        case "maximumSize" -> {
          long n = Long.parseLong(value);
          if (n < partitions) {
            throw new IllegalArgumentException("cache spec '" + spec + "': maximumSize=" + n + " is below the cluster's "
                + partitions + " partitions; in cluster mode a cache is bounded per partition (maximumSize / "
                + partitions + " entries each), so a bound this small cannot be kept: use maximumSize >= " + partitions
                + ", or expiry alone (README, \"Cluster mode\")");
          }
          perPartition = (int) Math.min(Integer.MAX_VALUE, (n + partitions - 1) / partitions);
        }
        default -> throw new IllegalArgumentException("cache spec '" + spec + "': " + key + " is not available in cluster"
            + " mode, whose caches hold bytes with no weigher nor loader; maximumSize, expireAfterWrite,"
            + " expireAfterAccess, recordStats and initialCapacity are (README, \"Cluster mode\")");
      }
    }
    return new Translation(ttl, idle, perPartition, stats);
  }

  /**
   * A lifetime as Hazelcast keeps it: in whole seconds, counted from the second it started, so one
   * more second makes an entry expire within a second after its lifetime, never before it.
   */
  private static long lifetimeMillis(long nanos) {
    return (TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L) + 1) * 1000;
  }

  private byte[] key(Object key) {
    return codec.encode(Objects.requireNonNull(key, "null keys are not supported"));
  }

  private byte[] value(Object value) {
    return codec.encode(Objects.requireNonNull(value, "null values are not supported"));
  }

  private void count(int hit, int miss) {
    if (t.stats) {
      if (hit > 0) {
        hits.addAndGet(hit);
      }
      if (miss > 0) {
        misses.addAndGet(miss);
      }
    }
  }

  /** {@return the value of {@code key}, or null} Counts a hit or a miss. */
  public Object getIfPresent(Object key) {
    byte[] v = map.get(key(key));
    count(v != null ? 1 : 0, v == null ? 1 : 0);
    return codec.decode(v);
  }

  /** Caches {@code value} unless {@code key} has a value, atomically; {@return the value already cached, or null} */
  public Object putIfAbsent(Object key, Object value) {
    return codec.decode(map.putIfAbsent(key(key), value(value), t.ttlMillis, TimeUnit.MILLISECONDS, t.maxIdleMillis,
        TimeUnit.MILLISECONDS));
  }

  /** {@return the cached values of those {@code keys} that have one, in a new map} Counts hits and misses. */
  public Map<Object, Object> getAllPresent(Iterable<?> keys) {
    Set<byte[]> asked = new LinkedHashSet<>();
    int requested = 0;
    for (Object k : keys) {
      asked.add(key(k));
      requested++;
    }
    Map<byte[], byte[]> found = map.getAll(asked);
    Map<Object, Object> out = new HashMap<>();
    found.forEach((k, v) -> out.put(codec.decode(k), codec.decode(v)));
    count(out.size(), requested - out.size());
    return out;
  }

  /** Caches {@code value} under {@code key}, replacing any value. */
  public void put(Object key, Object value) {
    map.set(key(key), value(value), t.ttlMillis, TimeUnit.MILLISECONDS, t.maxIdleMillis, TimeUnit.MILLISECONDS);
  }

  /** Caches every entry of {@code entries}. */
  public void putAll(Map<?, ?> entries) {
    List<java.util.concurrent.CompletableFuture<Void>> writes = new ArrayList<>();
    entries.forEach((k, v) -> writes.add(map.setAsync(key(k), value(v), t.ttlMillis, TimeUnit.MILLISECONDS,
        t.maxIdleMillis, TimeUnit.MILLISECONDS).toCompletableFuture()));
    java.util.concurrent.CompletableFuture.allOf(writes.toArray(new java.util.concurrent.CompletableFuture<?>[0])).join();
  }

  /** Discards the value of {@code key}, if any. */
  public void invalidate(Object key) {
    map.delete(key(key));
  }

  /** Discards every entry. */
  public void invalidateAll() {
    map.clear();
  }

  /** {@return the number of entries} */
  public long estimatedSize() {
    return map.size();
  }

  /** {@return the statistics now: all zero unless the spec says {@code recordStats}} */
  public SharedCache.Stats stats() {
    if (!t.stats) {
      return new SharedCache.Stats(0, 0, 1.0, 0, 0);
    }
    long h = hits.get();
    long m = misses.get();
    long requests = h + m;
    return new SharedCache.Stats(h, m, requests == 0 ? 1.0 : (double) h / requests, evictions.get(), requests);
  }

  /** {@return a copy of the live entries; not counted as hits} */
  public HashMap<Object, Object> asMap() {
    HashMap<Object, Object> out = new HashMap<>();
    map.entrySet().forEach(e -> out.put(codec.decode(e.getKey()), codec.decode(e.getValue())));
    return out;
  }

  @Override
  public long statusSize() {
    return map.size();
  }

  @Override
  public String statusDetails() {
    return spec;
  }

  @Override
  public void destroy() {
    map.destroy();
    hits.destroy();
    misses.destroy();
    evictions.destroy();
  }
}
