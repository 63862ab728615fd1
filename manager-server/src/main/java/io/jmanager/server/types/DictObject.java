package io.jmanager.server.types;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon side of {@code SharedDict}: a {@link ConcurrentHashMap}, so every method is atomic
 * and none blocks. Views are returned as immutable snapshots.
 */
public final class DictObject implements Described {
  private final ConcurrentHashMap<Object, Object> map = new ConcurrentHashMap<>();

  /**
   * {@return the number of entries}
   */
  public int size() {
    return map.size();
  }

  /**
   * {@return whether there are no entries}
   */
  public boolean isEmpty() {
    return map.isEmpty();
  }

  /**
   * {@return whether {@code key} has a value}
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  public boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  /**
   * {@return whether some key has {@code value}, by {@code equals}} A scan of the map.
   *
   * @param value the value
   * @throws NullPointerException if {@code value} is null
   */
  public boolean containsValue(Object value) {
    return map.containsValue(value);
  }

  /**
   * {@return the value of {@code key}, or null if it has none}
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  public Object get(Object key) {
    return map.get(key);
  }

  /**
   * Maps {@code key} to {@code value}.
   *
   * @param key the key
   * @param value the value
   * @return the value it replaced, or null
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public Object put(Object key, Object value) {
    return map.put(key, value);
  }

  /**
   * Removes {@code key}'s entry.
   *
   * @param key the key
   * @return the value it had, or null
   * @throws NullPointerException if {@code key} is null
   */
  public Object remove(Object key) {
    return map.remove(key);
  }

  /**
   * Puts every entry of {@code m}; checks them all first, so a null changes nothing.
   *
   * @param m the entries
   * @throws NullPointerException if a key or value is null
   */
  public void putAll(Map<?, ?> m) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new NullPointerException("null key or value in putAll");
      }
    }
    map.putAll(m);
  }

  /**
   * {@return the present entries of {@code keys}, in their order}
   *
   * @param keys the keys to look up
   * @throws NullPointerException if a key is null
   */
  public Map<Object, Object> getAll(Collection<?> keys) {
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Object k : keys) {
      Object v = map.get(k);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  /**
   * Removes every entry.
   */
  public void clear() {
    map.clear();
  }

  /**
   * {@return an immutable snapshot of the keys}
   */
  public Set<Object> keySet() {
    return Set.copyOf(map.keySet());
  }

  /**
   * {@return an immutable snapshot of the values}
   */
  public Collection<Object> values() {
    return List.copyOf(map.values());
  }

  /**
   * {@return an immutable snapshot of the entries}
   */
  public Set<Map.Entry<Object, Object>> entrySet() {
    List<Map.Entry<Object, Object>> entries = new ArrayList<>(map.size());
    map.forEach((k, v) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
    return Set.copyOf(entries);
  }

  /**
   * Maps {@code key} to {@code value} unless it has a value, atomically.
   *
   * @param key the key
   * @param value the value
   * @return the value {@code key} already had, or null if {@code value} was put
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public Object putIfAbsent(Object key, Object value) {
    return map.putIfAbsent(key, value);
  }

  /**
   * Removes {@code key}'s entry if its value {@code equals} {@code value}, atomically.
   *
   * @param key the key
   * @param value the expected value
   * @return whether it was removed
   * @throws NullPointerException if {@code key} is null
   */
  public boolean remove(Object key, Object value) {
    return map.remove(key, value);
  }

  /**
   * Replaces {@code key}'s value if it {@code equals} {@code oldValue}, atomically.
   *
   * @param key the key
   * @param oldValue the expected value
   * @param newValue the new value
   * @return whether it was replaced
   * @throws NullPointerException if an argument is null
   */
  public boolean replace(Object key, Object oldValue, Object newValue) {
    return map.replace(key, oldValue, newValue);
  }

  /**
   * Replaces {@code key}'s value if it has one, atomically.
   *
   * @param key the key
   * @param value the new value
   * @return the value it replaced, or null if {@code key} had none
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public Object replace(Object key, Object value) {
    return map.replace(key, value);
  }

  /**
   * Adds {@code delta} to the number under {@code key}, keeping its type: an absent key starts a
   * {@code Long}; a {@code Long}, {@code Integer}, {@code Short} or {@code Byte} stays one. An
   * overflow of that type, or a value of another type, throws and changes nothing.
   *
   * @param key the key
   * @param delta what to add
   * @return the new value
   * @throws ArithmeticException if the sum overflows the value's type
   * @throws IllegalArgumentException if the value is not a Long, Integer, Short or Byte
   */
  public long increment(Object key, long delta) {
    Object result = map.merge(key, delta, (old, unused) -> add(key, old, delta));
    return ((Number) result).longValue();
  }

  /**
   * {@return {@code old + delta} in {@code old}'s integral type}, as {@link #increment} stores it
   *
   * @param key the key, for the messages
   * @param old the value before
   * @param delta what to add
   * @throws ArithmeticException if the sum overflows that type
   * @throws IllegalArgumentException if {@code old} is not a Long, Integer, Short or Byte
   */
  public static Number add(Object key, Object old, long delta) {
    long before = integral(key, old);
    long sum = before + delta;
    Number narrowed = sameTypeAs(old, sum);
    // Math.addExact's overflow test for the long sum, then the narrowing must lose nothing
    if (((before ^ sum) & (delta ^ sum)) < 0 || narrowed.longValue() != sum) {
      throw new ArithmeticException(
          "cannot increment '" + key + "' by " + delta + ": its " + old.getClass().getSimpleName()
              + " value " + before + " would overflow; the value is unchanged");
    }
    return narrowed;
  }

  private static long integral(Object key, Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(
        "cannot increment '" + key + "': its value is a " + value.getClass().getName()
            + ", not a Long, Integer, Short or Byte");
  }

  private static Number sameTypeAs(Object old, long sum) {
    if (old instanceof Integer) {
      return (int) sum;
    }
    if (old instanceof Short) {
      return (short) sum;
    }
    if (old instanceof Byte) {
      return (byte) sum;
    }
    return sum;
  }

  /**
   * Runs {@code action} on each entry, without a lock: weakly consistent, as the map's iteration.
   *
   * @param action gets each key and value
   */
  public void forEachEntry(java.util.function.BiConsumer<Object, Object> action) {
    map.forEach(action);
  }

  /**
   * {@return a copy of the whole map}
   */
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
