package io.jmanager.server.cluster;

import com.hazelcast.map.IMap;
import io.jmanager.server.types.Described;

/**
 * A value in cluster mode: one entry, keyed by the object's name, of a map shared by every value
 * ({@code jmanager:values}), partitioned and backed up like a dict's; null is no entry. {@code
 * compareAndSet} compares the stored bytes.
 */
public final class ClusterValue implements ClusterObject, Described {
  static final String VALUES = "jmanager:values";

  private final IMap<String, byte[]> values;
  private final String name;
  private final ValueCodec codec;

  /** The value {@code name} of {@code node}'s cluster. */
  public ClusterValue(ClusterNode node, String name) {
    this.values = node.hazelcast().getMap(VALUES);
    this.name = name;
    this.codec = node.codec();
  }

  @Override
  public void initialize(Object[] params) {
    Object initial = params != null && params.length > 0 ? params[0] : null;
    if (initial != null) {
      values.set(name, codec.encode(initial));
    }
  }

  /** {@return the value, or null} */
  public Object get() {
    return codec.decode(values.get(name));
  }

  /** Sets the value ({@code null} clears it). */
  public void set(Object v) {
    if (v == null) {
      values.delete(name);
    } else {
      values.set(name, codec.encode(v));
    }
  }

  /** {@return the value before setting it to {@code v}} */
  public Object getAndSet(Object v) {
    return codec.decode(v == null ? values.remove(name) : values.put(name, codec.encode(v)));
  }

  /** {@return whether the value was {@code expect} (as bytes; null: none) and is now {@code update}} */
  public boolean compareAndSet(Object expect, Object update) {
    byte[] e = codec.encode(expect);
    byte[] u = codec.encode(update);
    if (e == null) {
      return u == null ? !values.containsKey(name) : values.putIfAbsent(name, u) == null;
    }
    return u == null ? values.remove(name, e) : values.replace(name, e, u);
  }

  @Override
  public long statusSize() {
    return -1;
  }

  @Override
  public String statusDetails() {
    String s = String.valueOf(get());
    return "value=" + (s.length() > 60 ? s.substring(0, 57) + "..." : s);
  }

  @Override
  public void destroy() {
    values.delete(name);
  }
}
