package io.jmanager.server.types;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** The daemon side of {@code SharedNamespace}: named attributes, null values allowed. */
public final class NamespaceObject implements Described {
  private final Map<String, Object> attributes = new LinkedHashMap<>();

  public synchronized Object get(String attribute) {
    Object v = attributes.get(attribute);
    if (v == null && !attributes.containsKey(attribute)) {
      throw new NoSuchElementException("namespace has no attribute '" + attribute + "'");
    }
    return v;
  }

  public synchronized void set(String attribute, Object value) {
    if (attribute == null) {
      throw new NullPointerException("attribute name is null");
    }
    attributes.put(attribute, value);
  }

  public synchronized boolean delete(String attribute) {
    boolean had = attributes.containsKey(attribute);
    attributes.remove(attribute);
    return had;
  }

  public synchronized Set<String> attributes() {
    return new LinkedHashSet<>(attributes.keySet());
  }

  public synchronized Map<String, Object> asMap() {
    return new LinkedHashMap<>(attributes);
  }

  @Override
  public synchronized long statusSize() {
    return attributes.size();
  }
}
