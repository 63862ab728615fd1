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

  public synchronized int size() {
    return list.size();
  }

  public synchronized boolean isEmpty() {
    return list.isEmpty();
  }

  public synchronized boolean contains(Object o) {
    return list.contains(o);
  }

  public synchronized boolean add(Object e) {
    return list.add(e);
  }

  public synchronized boolean remove(Object o) {
    return list.remove(o);
  }

  public synchronized boolean containsAll(Collection<?> c) {
    return list.containsAll(c);
  }

  public synchronized boolean addAll(Collection<?> c) {
    return list.addAll(c);
  }

  public synchronized boolean addAll(int index, Collection<?> c) {
    return list.addAll(index, c);
  }

  public synchronized boolean removeAll(Collection<?> c) {
    return list.removeAll(c);
  }

  public synchronized boolean retainAll(Collection<?> c) {
    return list.retainAll(c);
  }

  public synchronized void clear() {
    list.clear();
  }

  public synchronized Object get(int index) {
    return list.get(index);
  }

  public synchronized Object set(int index, Object element) {
    return list.set(index, element);
  }

  public synchronized void add(int index, Object element) {
    list.add(index, element);
  }

  public synchronized Object remove(int index) {
    return list.remove(index);
  }

  public synchronized int indexOf(Object o) {
    return list.indexOf(o);
  }

  public synchronized int lastIndexOf(Object o) {
    return list.lastIndexOf(o);
  }

  public synchronized List<Object> subList(int fromIndex, int toIndex) {
    return Collections.unmodifiableList(new ArrayList<>(list.subList(fromIndex, toIndex)));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public synchronized void sort(Comparator c) {
    list.sort(c);
  }

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
