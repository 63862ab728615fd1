package io.jmanager.client;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A bag of named attributes, Python's {@code manager.Namespace()}. Values are copied to and from
 * the daemon; {@code null} values are allowed. Every method is one atomic daemon operation.
 * Thread-safe.
 */
public interface SharedNamespace extends SharedObject {
  /**
   * The attribute's value.
   *
   * @throws NoSuchElementException if the attribute is not set
   */
  <T> T get(String attribute);

  void set(String attribute, Object value);

  /** Removes the attribute; returns whether it was set. */
  boolean delete(String attribute);

  /** A snapshot of the attribute names. */
  Set<String> attributes();

  /** A snapshot copy of every attribute and its value. */
  Map<String, Object> asMap();
}
