package io.jmanager.server.cluster;

import com.hazelcast.map.IMap;
import io.jmanager.server.types.Described;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * A namespace in cluster mode: an {@code IMap} of attribute name to value bytes (null as an empty
 * array). The cluster keeps no order of first setting: {@code attributes()} and {@code asMap()}
 * list the names sorted.
 */
public final class ClusterNamespace implements ClusterObject, Described {
  private static final byte[] NULL = new byte[0];

  private final IMap<String, byte[]> attributes;
  private final ValueCodec codec;

  /** The namespace {@code name} of {@code node}'s cluster. */
  public ClusterNamespace(ClusterNode node, String name) {
    this.attributes = node.hazelcast().getMap(ClusterNode.structure(name));
    this.codec = node.codec();
  }

  private Object decoded(byte[] b) {
    return b.length == 0 ? null : codec.decode(b);
  }

  /** {@return the attribute's value, which may be null} @throws NoSuchElementException if it is not set */
  public Object get(String attribute) {
    byte[] b = attribute == null ? null : attributes.get(attribute);
    if (b == null) {
      throw new NoSuchElementException("namespace has no attribute '" + attribute + "'");
    }
    return decoded(b);
  }

  /** Sets the attribute (its value may be null). */
  public void set(String attribute, Object value) {
    if (attribute == null) {
      throw new NullPointerException("attribute name is null");
    }
    attributes.set(attribute, value == null ? NULL : codec.encode(value));
  }

  /** {@return whether the attribute was set, and is now removed} */
  public boolean delete(String attribute) {
    return attribute != null && attributes.remove(attribute) != null;
  }

  /** {@return the attribute names, sorted} */
  public Set<String> attributes() {
    return new LinkedHashSet<>(new TreeMap<>(attributes).keySet());
  }

  /** {@return every attribute and its value, by name} */
  public Map<String, Object> asMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    new TreeMap<>(attributes).forEach((k, v) -> out.put(k, decoded(v)));
    return out;
  }

  @Override
  public long statusSize() {
    return attributes.size();
  }

  @Override
  public void destroy() {
    attributes.destroy();
  }
}
