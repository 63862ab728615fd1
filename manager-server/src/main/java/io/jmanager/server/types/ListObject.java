package io.jmanager.server.types;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The daemon side of {@code SharedList}: an {@link ArrayList} guarded by its own monitor, so every
 * method is atomic. Held only for the length of one operation; never blocks on anything else.
 */
public final class ListObject implements Described {
  private final List<Object> list = new ArrayList<>();

  /**
   * {@return the number of elements}
   */
  public synchronized int size() {
    return list.size();
  }

  /**
   * {@return whether there are no elements}
   */
  public synchronized boolean isEmpty() {
    return list.isEmpty();
  }

  /**
   * {@return whether an element {@code equals} {@code o}}
   *
   * @param o the value; may be null
   */
  public synchronized boolean contains(Object o) {
    return list.contains(o);
  }

  /**
   * Appends {@code e}.
   *
   * @param e the element; may be null
   * @return true
   */
  public synchronized boolean add(Object e) {
    return list.add(e);
  }

  /**
   * Removes the first element that {@code equals} {@code o}.
   *
   * @param o the value; may be null
   * @return whether one was removed
   */
  public synchronized boolean remove(Object o) {
    return list.remove(o);
  }

  /**
   * {@return whether every element of {@code c} is in the list}
   *
   * @param c the values
   */
  public synchronized boolean containsAll(Collection<?> c) {
    return list.containsAll(c);
  }

  /**
   * Appends every element of {@code c}, in its order, atomically.
   *
   * @param c the elements
   * @return whether the list changed
   */
  public synchronized boolean addAll(Collection<?> c) {
    return list.addAll(c);
  }

  /**
   * Inserts every element of {@code c} at {@code index}, in its order, atomically.
   *
   * @param index where the first goes, from 0 to {@code size()}
   * @param c the elements
   * @return whether the list changed
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized boolean addAll(int index, Collection<?> c) {
    return list.addAll(index, c);
  }

  /**
   * Removes every element that is in {@code c}, atomically.
   *
   * @param c the values
   * @return whether the list changed
   */
  public synchronized boolean removeAll(Collection<?> c) {
    return list.removeAll(c);
  }

  /**
   * Removes every element that is not in {@code c}, atomically.
   *
   * @param c the values to keep
   * @return whether the list changed
   */
  public synchronized boolean retainAll(Collection<?> c) {
    return list.retainAll(c);
  }

  /**
   * Removes every element.
   */
  public synchronized void clear() {
    list.clear();
  }

  /**
   * {@return the element at {@code index}}
   *
   * @param index from 0 to {@code size() - 1}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized Object get(int index) {
    return list.get(index);
  }

  /**
   * Replaces the element at {@code index}.
   *
   * @param index from 0 to {@code size() - 1}
   * @param element the new element; may be null
   * @return the element it replaced
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized Object set(int index, Object element) {
    return list.set(index, element);
  }

  /**
   * Inserts {@code element} at {@code index}, shifting the rest.
   *
   * @param index from 0 to {@code size()}
   * @param element the element; may be null
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized void add(int index, Object element) {
    list.add(index, element);
  }

  /**
   * Removes the element at {@code index}, shifting the rest.
   *
   * @param index from 0 to {@code size() - 1}
   * @return the element removed
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized Object remove(int index) {
    return list.remove(index);
  }

  /**
   * {@return the index of the first element that {@code equals} {@code o}, or -1}
   *
   * @param o the value; may be null
   */
  public synchronized int indexOf(Object o) {
    return list.indexOf(o);
  }

  /**
   * {@return the index of the last element that {@code equals} {@code o}, or -1}
   *
   * @param o the value; may be null
   */
  public synchronized int lastIndexOf(Object o) {
    return list.lastIndexOf(o);
  }

  /**
   * {@return an immutable copy of the elements from {@code fromIndex} to {@code toIndex},
   * exclusive}
   *
   * @param fromIndex the first index
   * @param toIndex the index after the last
   * @throws IndexOutOfBoundsException if the range is out of bounds
   */
  public synchronized List<Object> subList(int fromIndex, int toIndex) {
    return Collections.unmodifiableList(new ArrayList<>(list.subList(fromIndex, toIndex)));
  }

  /**
   * Sorts the list in one atomic step.
   *
   * @param c the order; null for the elements' natural order
   * @throws ClassCastException if elements are not comparable (by {@code c}, or naturally)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public synchronized void sort(Comparator c) {
    list.sort(c);
  }

  /**
   * {@return a copy of the whole list}
   */
  public synchronized ArrayList<Object> copy() {
    return new ArrayList<>(list);
  }

  @Override
  public synchronized boolean equals(Object o) {
    return o == this || list.equals(o);
  }

  @Override
  public synchronized int hashCode() {
    return list.hashCode();
  }

  @Override
  public synchronized long statusSize() {
    return list.size();
  }
}
