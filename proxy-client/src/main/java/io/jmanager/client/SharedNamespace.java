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
   * {@return a copy of the attribute's value, which may be {@code null}}
   *
   * @param attribute the attribute's name
   * @param <T> the type the caller expects; a value of another type throws {@link
   *     ClassCastException} where it is assigned
   * @throws NoSuchElementException if the attribute is not set
   */
  <T> T get(String attribute);

  /**
   * Sets the attribute, replacing any value.
   *
   * @param attribute the attribute's name
   * @param value the value, copied to the daemon; may be null
   */
  void set(String attribute, Object value);

  /**
   * Removes the attribute.
   *
   * @param attribute the attribute's name
   * @return whether it was set
   */
  boolean delete(String attribute);

  /** {@return a snapshot of the attribute names} */
  Set<String> attributes();

  /** {@return a snapshot copy of every attribute and its value} */
  Map<String, Object> asMap();
}
