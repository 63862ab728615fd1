package io.jmanager.server.types;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon side of {@code SharedDict}: a {@link ConcurrentHashMap}, so every method is atomic
 * and none blocks. Views are returned as immutable snapshots.
 */
public final class DictObject implements Described {
  private final ConcurrentHashMap<Object, Object> map = new ConcurrentHashMap<>();

  public int size() {
    return map.size();
  }

  public boolean isEmpty() {
    return map.isEmpty();
  }

  public boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  public boolean containsValue(Object value) {
    return map.containsValue(value);
  }

  public Object get(Object key) {
    return map.get(key);
  }

  public Object put(Object key, Object value) {
    return map.put(key, value);
  }

  public Object remove(Object key) {
    return map.remove(key);
  }

  public void putAll(Map<?, ?> m) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new NullPointerException("null key or value in putAll");
      }
    }
    map.putAll(m);
  }

  public void clear() {
    map.clear();
  }

  public Set<Object> keySet() {
    return Set.copyOf(map.keySet());
  }

  public Collection<Object> values() {
    return List.copyOf(map.values());
  }

  public Set<Map.Entry<Object, Object>> entrySet() {
    List<Map.Entry<Object, Object>> entries = new ArrayList<>(map.size());
    map.forEach((k, v) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
    return Set.copyOf(entries);
  }

  public Object putIfAbsent(Object key, Object value) {
    return map.putIfAbsent(key, value);
  }

  public boolean remove(Object key, Object value) {
    return map.remove(key, value);
  }

  public boolean replace(Object key, Object oldValue, Object newValue) {
    return map.replace(key, oldValue, newValue);
  }

  public Object replace(Object key, Object value) {
    return map.replace(key, value);
  }

  public long increment(Object key, long delta) {
    Object result = map.merge(key, delta, (old, d) -> add(key, old, (Long) d));
    return ((Number) result).longValue();
  }

  private static Object add(Object key, Object old, long delta) {
    if (old instanceof Integer i) {
      return Math.toIntExact(i + delta);
    }
    if (old instanceof Long l) {
      return Math.addExact(l, delta);
    }
    throw new IllegalArgumentException(
        "cannot increment '" + key + "': its value is a " + old.getClass().getName() + ", not an Integer or Long");
  }

  public HashMap<Object, Object> copy() {
    return new HashMap<>(map);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || map.equals(o);
  }

  @Override
  public int hashCode() {
    return map.hashCode();
  }

  @Override
  public long statusSize() {
    return map.size();
  }
}
