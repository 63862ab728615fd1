package io.jmanager.server.types;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** The daemon side of {@code SharedNamespace}: named attributes, null values allowed. */
public final class NamespaceObject implements Described {
  private final Map<String, Object> attributes = new LinkedHashMap<>();

  /**
   * {@return the attribute's value, which may be null}
   *
   * @param attribute the attribute's name
   * @throws NoSuchElementException if the attribute is not set
   */
  public synchronized Object get(String attribute) {
    Object v = attributes.get(attribute);
    if (v == null && !attributes.containsKey(attribute)) {
      throw new NoSuchElementException("namespace has no attribute '" + attribute + "'");
    }
    return v;
  }

  /**
   * Sets the attribute, replacing any value.
   *
   * @param attribute the attribute's name
   * @param value the value; may be null
   * @throws NullPointerException if {@code attribute} is null
   */
  public synchronized void set(String attribute, Object value) {
    if (attribute == null) {
      throw new NullPointerException("attribute name is null");
    }
    attributes.put(attribute, value);
  }

  /**
   * Removes the attribute.
   *
   * @param attribute the attribute's name
   * @return whether it was set
   */
  public synchronized boolean delete(String attribute) {
    boolean had = attributes.containsKey(attribute);
    attributes.remove(attribute);
    return had;
  }

  /** {@return a copy of the attribute names, in the order they were first set} */
  public synchronized Set<String> attributes() {
    return new LinkedHashSet<>(attributes.keySet());
  }

  /** {@return a copy of every attribute and its value, in the order they were first set} */
  public synchronized Map<String, Object> asMap() {
    return new LinkedHashMap<>(attributes);
  }

  @Override
  public synchronized long statusSize() {
    return attributes.size();
  }
}
