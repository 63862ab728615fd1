package io.jmanager.server.cluster;

import com.hazelcast.map.IMap;
import io.jmanager.server.types.Described;
import io.jmanager.server.types.DictObject;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A dict in cluster mode: an {@code IMap} of key bytes to value bytes, partitioned and backed up by
 * Hazelcast. Its atomic methods are the map's ({@code putIfAbsent}, {@code replace(k, old, new)},
 * {@code remove(k, v)}: compared as bytes), so the client's {@code merge}, {@code compute} and
 * {@code increment} retry loops stay exact across daemons.
 */
public final class ClusterDict implements ClusterObject, Described {
  private final IMap<byte[], byte[]> map;
  private final ValueCodec codec;

  /** The dict {@code name} of {@code node}'s cluster. */
  public ClusterDict(ClusterNode node, String name) {
    this.map = node.hazelcast().getMap(ClusterNode.structure(name));
    this.codec = node.codec();
  }

  private byte[] key(Object key) {
    return codec.encode(Objects.requireNonNull(key, "null keys are not supported"));
  }

  private byte[] value(Object value) {
    return codec.encode(Objects.requireNonNull(value, "null values are not supported"));
  }

  /** {@return the number of entries} */
  public int size() {
    return map.size();
  }

  /** {@return whether the dict has no entry} */
  public boolean isEmpty() {
    return map.isEmpty();
  }

  /** {@return whether {@code key} has an entry} */
  public boolean containsKey(Object key) {
    return map.containsKey(key(key));
  }

  /** {@return whether some entry's value is {@code value}} */
  public boolean containsValue(Object value) {
    return map.containsValue(value(value));
  }

  /** {@return {@code key}'s value, or null} */
  public Object get(Object key) {
    return codec.decode(map.get(key(key)));
  }

  /** {@return the value {@code key} had, or null} */
  public Object put(Object key, Object value) {
    return codec.decode(map.put(key(key), value(value)));
  }

  /** {@return the value {@code key} had, or null} */
  public Object remove(Object key) {
    return codec.decode(map.remove(key(key)));
  }

  /** Puts every entry of {@code m}. */
  public void putAll(Map<?, ?> m) {
    Map<byte[], byte[]> encoded = new HashMap<>();
    m.forEach((k, v) -> encoded.put(key(k), value(v)));
    map.putAll(encoded);
  }

  /** {@return the entries of those {@code keys} that have one, in the order of {@code keys}} */
  public Map<Object, Object> getAll(Collection<?> keys) {
    Map<ByteBuffer, Object> wanted = new LinkedHashMap<>();
    Set<byte[]> encoded = new LinkedHashSet<>();
    for (Object k : keys) {
      byte[] b = key(k);
      if (wanted.putIfAbsent(ByteBuffer.wrap(b), k) == null) {
        encoded.add(b);
      }
    }
    Map<ByteBuffer, byte[]> found = new HashMap<>();
    map.getAll(encoded).forEach((k, v) -> found.put(ByteBuffer.wrap(k), v));
    Map<Object, Object> out = new LinkedHashMap<>();
    wanted.forEach((b, k) -> {
      byte[] v = found.get(b);
      if (v != null) {
        out.put(k, codec.decode(v));
      }
    });
    return out;
  }

  /** Removes every entry. */
  public void clear() {
    map.clear();
  }

  /** {@return a snapshot of the keys} */
  public Set<Object> keySet() {
    List<Object> out = new ArrayList<>();
    map.keySet().forEach(k -> out.add(codec.decode(k)));
    return Set.copyOf(out);
  }

  /** {@return a snapshot of the values} */
  public Collection<Object> values() {
    List<Object> out = new ArrayList<>();
    map.values().forEach(v -> out.add(codec.decode(v)));
    return List.copyOf(out);
  }

  /** {@return a snapshot of the entries} */
  public Set<Map.Entry<Object, Object>> entrySet() {
    List<Map.Entry<Object, Object>> entries = new ArrayList<>();
    map.entrySet().forEach(e -> entries.add(
        new AbstractMap.SimpleImmutableEntry<>(codec.decode(e.getKey()), codec.decode(e.getValue()))));
    return Set.copyOf(entries);
  }

  /** {@return the value {@code key} had, or null if it had none and now has {@code value}} */
  public Object putIfAbsent(Object key, Object value) {
    return codec.decode(map.putIfAbsent(key(key), value(value)));
  }

  /** {@return whether {@code key} had {@code value} (as bytes) and was removed} */
  public boolean remove(Object key, Object value) {
    return value != null && map.remove(key(key), value(value));
  }

  /** {@return whether {@code key} had {@code oldValue} (as bytes) and now has {@code newValue}} */
  public boolean replace(Object key, Object oldValue, Object newValue) {
    return map.replace(key(key), value(oldValue), value(newValue));
  }

  /** {@return the value {@code key} had, or null if it had none (then nothing changed)} */
  public Object replace(Object key, Object value) {
    return codec.decode(map.replace(key(key), value(value)));
  }

  /**
   * Adds {@code delta} to {@code key}'s integral value (absent: 0), atomically across the cluster:
   * a compare-and-replace of the stored bytes, retried when another call won.
   *
   * @return the new value
   */
  public long increment(Object key, long delta) {
    byte[] k = key(key);
    while (true) {
      byte[] old = map.get(k);
      if (old == null) {
        if (map.putIfAbsent(k, value(delta)) == null) {
          return delta;
        }
        continue;
      }
      Number sum = DictObject.add(key, codec.decode(old), delta);
      if (map.replace(k, old, value(sum))) {
        return sum.longValue();
      }
    }
  }

  /** {@return a copy of every entry} */
  public HashMap<Object, Object> copy() {
    HashMap<Object, Object> out = new HashMap<>();
    map.entrySet().forEach(e -> out.put(codec.decode(e.getKey()), codec.decode(e.getValue())));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Map<?, ?> m && copy().equals(m));
  }

  @Override
  public int hashCode() {
    return copy().hashCode();
  }

  @Override
  public long statusSize() {
    return map.size();
  }

  @Override
  public void destroy() {
    map.destroy();
  }
}
