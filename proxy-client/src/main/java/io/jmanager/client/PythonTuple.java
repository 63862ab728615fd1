package io.jmanager.client;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: an immutable {@link List} that may hold {@code null} (Python's {@code
 * None}), unlike {@link List#of}. It compares by value as every {@code List} does, so it works as
 * a map key for a Python tuple key. The Python gateway writes this type, and no other {@code List},
 * as a tuple; Java clients send and receive it as it is. Thread-safe (immutable; its elements are what they are).
 *
 * <p>A tuple whose elements are all hashable in Python's sense (strings, numbers, booleans, {@code
 * None}, bytes, tuples of those, frozensets) computes its hash once, at construction, so a key
 * nested deep is hashed in linear time.
 */
public final class PythonTuple extends AbstractList<Object> implements RandomAccess {
  private static final PythonTuple EMPTY = new PythonTuple(new Object[0]);

  private final Object[] items;
  private final boolean hashable;
  private final int hash;
  private final int nesting;

  private PythonTuple(Object[] items) {
    this.items = items;
    this.hashable = Arrays.stream(items).allMatch(PythonTuple::isHashable);
    this.hash = hashable ? super.hashCode() : 0;
    this.nesting = 1 + Arrays.stream(items).mapToInt(PythonTuple::nesting).max().orElse(0);
  }

  /**
   * {@return the tuple of {@code items}, copied: later changes to the array do not show}
   *
   * @param items the elements, in order; nulls allowed
   */
  public static PythonTuple of(Object... items) {
    return items.length == 0 ? EMPTY : new PythonTuple(items.clone());
  }

  /**
   * {@return the tuple of {@code items}' elements, in iteration order} A {@code PythonTuple} is
   * returned as it is.
   *
   * @param items the elements; nulls allowed
   */
  public static PythonTuple copyOf(Collection<?> items) {
    if (items instanceof PythonTuple t) {
      return t;
    }
    return items.isEmpty() ? EMPTY : new PythonTuple(items.toArray());
  }

  /**
   * {@return whether Python would hash {@code value}: immutable all the way down} Lists, sets and
   * maps other than {@link PythonFrozenSet} are not, nor tuples that hold one.
   *
   * @param value any value, null included (Python's {@code None}, which is hashable)
   */
  public static boolean isHashable(Object value) {
    if (value instanceof PythonTuple t) {
      return t.hashable;
    }
    if (value instanceof PythonFrozenSet) {
      return true;
    }
    return !(value instanceof Collection || value instanceof Map);
  }

  /**
   * {@return the levels of tuples and frozensets in {@code value} (0 for anything else)} Known
   * without a walk: it bounds how deep {@code equals} and {@code hashCode} recurse on a key.
   *
   * @param value any value
   */
  public static int nesting(Object value) {
    if (value instanceof PythonTuple t) {
      return t.nesting;
    }
    return value instanceof PythonFrozenSet f ? f.nesting() : 0;
  }

  /** {@return whether Python could use this tuple as a dict key or set element} */
  public boolean isHashable() {
    return hashable;
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }

  @Override
  public int hashCode() {
    return hashable ? hash : super.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof PythonTuple t && hashable && t.hashable && hash != t.hash) {
      return false;
    }
    return super.equals(o);
  }

  /** Python's notation: {@code (1, 'a')}, {@code (1,)}, {@code ()}. */
  @Override
  public String toString() {
    if (items.length == 1) {
      return "(" + items[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < items.length; i++) {
      s.append(i == 0 ? "" : ", ").append(items[i]);
    }
    return s.append(')').toString();
  }
}
