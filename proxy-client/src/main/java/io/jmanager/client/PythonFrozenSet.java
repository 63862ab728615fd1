package io.jmanager.client;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Python {@code frozenset}: an immutable {@link Set} (insertion order kept) that may hold {@code
 * null}, comparing by value as every {@code Set} does. The Python gateway writes this type, and no
 * other {@code Set}, as a frozenset. Its elements must be hashable in Python's sense (see {@link
 * PythonTuple#isHashable()}); its hash is computed once. Thread-safe (immutable).
 */
public final class PythonFrozenSet extends AbstractSet<Object> {
  private final Set<Object> items;
  private final int hash;
  private final int nesting;

  private PythonFrozenSet(Set<Object> items) {
    this.items = Collections.unmodifiableSet(items);
    this.hash = super.hashCode();
    this.nesting = 1 + items.stream().mapToInt(PythonTuple::nesting).max().orElse(0);
  }

  /**
   * {@return the frozenset of {@code items}' elements, in iteration order, duplicates dropped} A
   * {@code PythonFrozenSet} is returned as it is.
   *
   * @param items the elements; nulls allowed
   * @throws IllegalArgumentException if an element is a mutable list, set or map, or a tuple
   *     holding one (Python: {@code TypeError: unhashable type})
   */
  public static PythonFrozenSet copyOf(Collection<?> items) {
    if (items instanceof PythonFrozenSet f) {
      return f;
    }
    for (Object item : items) {
      if (!PythonTuple.isHashable(item)) {
        throw new IllegalArgumentException(
            "a frozenset element must be hashable, got a " + item.getClass().getName());
      }
    }
    return new PythonFrozenSet(new LinkedHashSet<>(items));
  }

  /**
   * {@return the frozenset of {@code items}, in order, duplicates dropped}
   *
   * @param items the elements; nulls allowed
   * @throws IllegalArgumentException if an element is not hashable in Python's sense
   */
  public static PythonFrozenSet of(Object... items) {
    return copyOf(Arrays.asList(items));
  }

  /**
   * {@return the levels of tuples and frozensets in this set, itself included} See {@link
   * PythonTuple#nesting(Object)}.
   */
  public int nesting() {
    return nesting;
  }

  @Override
  public Iterator<Object> iterator() {
    return items.iterator();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public boolean contains(Object o) {
    return items.contains(o);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Python's notation: {@code frozenset({1, 'a'})}. */
  @Override
  public String toString() {
    return items.isEmpty() ? "frozenset()" : "frozenset({" + String.join(", ",
        items.stream().map(String::valueOf).toList()) + "})";
  }
}
