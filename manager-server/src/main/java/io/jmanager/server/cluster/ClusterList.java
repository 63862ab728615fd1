package io.jmanager.server.cluster;

import com.hazelcast.collection.IList;
import io.jmanager.server.types.Described;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A list in cluster mode: an {@code IList} of element bytes (null as an empty array, which no
 * value encodes to), kept in one partition and backed up on another member. Each call is one
 * atomic operation of the list, except {@code sort}, which reads, sorts and writes back, and so
 * is not atomic against other clients' changes made meanwhile.
 */
public final class ClusterList implements ClusterObject, Described {
  private static final byte[] NULL = new byte[0];

  private final IList<byte[]> list;
  private final ValueCodec codec;

  /** The list {@code name} of {@code node}'s cluster. */
  public ClusterList(ClusterNode node, String name) {
    this.list = node.hazelcast().getList(ClusterNode.structure(name));
    this.codec = node.codec();
  }

  private byte[] element(Object o) {
    return o == null ? NULL : codec.encode(o);
  }

  private Object decoded(byte[] b) {
    return b == null || b.length == 0 ? null : codec.decode(b);
  }

  private List<byte[]> elements(Collection<?> c) {
    List<byte[]> out = new ArrayList<>(c.size());
    c.forEach(o -> out.add(element(o)));
    return out;
  }

  /** {@return the number of elements} */
  public int size() {
    return list.size();
  }

  /** {@return whether the list has no element} */
  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** {@return whether an element equals (as bytes) {@code o}} */
  public boolean contains(Object o) {
    return list.contains(element(o));
  }

  /** Appends {@code e}; {@return true} */
  public boolean add(Object e) {
    return list.add(element(e));
  }

  /** {@return whether the first element equal (as bytes) to {@code o} was removed} */
  public boolean remove(Object o) {
    return list.remove(element(o));
  }

  /** {@return whether every element of {@code c} is in the list} */
  public boolean containsAll(Collection<?> c) {
    return list.containsAll(elements(c));
  }

  /** Appends every element of {@code c}; {@return whether the list changed} */
  public boolean addAll(Collection<?> c) {
    return list.addAll(elements(c));
  }

  /** Inserts every element of {@code c} at {@code index}; {@return whether the list changed} */
  public boolean addAll(int index, Collection<?> c) {
    checkPosition(index, list.size());
    return list.addAll(index, elements(c));
  }

  /** {@return whether elements in {@code c} were removed} */
  public boolean removeAll(Collection<?> c) {
    return list.removeAll(elements(c));
  }

  /** {@return whether elements not in {@code c} were removed} */
  public boolean retainAll(Collection<?> c) {
    return list.retainAll(elements(c));
  }

  /** Removes every element. */
  public void clear() {
    list.clear();
  }

  /** {@return the element at {@code index}} */
  public Object get(int index) {
    return decoded(list.get(index));
  }

  /** Replaces the element at {@code index}; {@return the element it replaced} */
  public Object set(int index, Object element) {
    return decoded(list.set(index, element(element)));
  }

  /** Inserts {@code element} at {@code index}. */
  public void add(int index, Object element) {
    checkPosition(index, list.size());
    list.add(index, element(element));
  }

  /** Removes the element at {@code index}; {@return it} */
  public Object remove(int index) {
    return decoded(list.remove(index));
  }

  /** {@return the index of the first element equal (as bytes) to {@code o}, or -1} */
  public int indexOf(Object o) {
    return list.indexOf(element(o));
  }

  /** {@return the index of the last element equal (as bytes) to {@code o}, or -1} */
  public int lastIndexOf(Object o) {
    return list.lastIndexOf(element(o));
  }

  /** {@return a snapshot of the elements from {@code fromIndex} to {@code toIndex}, exclusive} */
  public List<Object> subList(int fromIndex, int toIndex) {
    return Collections.unmodifiableList(new ArrayList<>(copy().subList(fromIndex, toIndex)));
  }

  /** Sorts the elements by {@code c} (null: their natural order): read, sorted here, written back. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void sort(Comparator c) {
    ArrayList<Object> sorted = copy();
    sorted.sort(c);
    for (int i = 0; i < sorted.size(); i++) {
      list.set(i, element(sorted.get(i)));
    }
  }

  /** {@return a copy of the elements} */
  public ArrayList<Object> copy() {
    ArrayList<Object> out = new ArrayList<>();
    list.forEach(b -> out.add(decoded(b)));
    return out;
  }

  private static void checkPosition(int index, int size) {
    if (index < 0 || index > size) {
      throw new IndexOutOfBoundsException("Index: " + index + ", Size: " + size);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof List<?> other && copy().equals(other));
  }

  @Override
  public int hashCode() {
    return copy().hashCode();
  }

  @Override
  public long statusSize() {
    return list.size();
  }

  @Override
  public void destroy() {
    list.destroy();
  }
}
