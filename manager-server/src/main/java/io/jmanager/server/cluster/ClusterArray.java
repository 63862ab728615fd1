package io.jmanager.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.jmanager.server.types.Described;

/**
 * What the cluster's long and double arrays share: an array is one entry, keyed by its name, of a
 * map of such arrays (backed up like a dict's), of a length fixed at creation; its writes run as
 * entry processors on the member owning the entry ({@link ArrayOps}), so each is atomic.
 *
 * @param <A> the array type, {@code long[]} or {@code double[]}
 */
public abstract class ClusterArray<A> implements ClusterObject, Described {
  final IMap<String, A> arrays;
  final String name;
  final int length;

  ClusterArray(ClusterNode node, String map, String name, int length) {
    if (length < 0) {
      throw new NegativeArraySizeException("array length " + length);
    }
    this.arrays = node.hazelcast().getMap(map);
    this.name = name;
    this.length = length;
  }

  /** {@return a new array of {@link #length} zeros} */
  abstract A zeros();

  @Override
  public void initialize(Object[] params) {
    arrays.putIfAbsent(name, zeros());
  }

  /** {@return the number of elements} */
  public int length() {
    return length;
  }

  /** {@return a copy of every element} */
  public A toArray() {
    A a = arrays.get(name);
    return a == null ? zeros() : a;
  }

  void check(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
    }
  }

  void checkRange(int from, int count) {
    if (from < 0 || from + count > length) {
      throw new IndexOutOfBoundsException("cannot write " + count + " values at " + from + " into length " + length);
    }
  }

  <R> R apply(EntryProcessor<String, A, R> op) {
    return arrays.executeOnKey(name, op);
  }

  @Override
  public long statusSize() {
    return length;
  }

  @Override
  public void destroy() {
    arrays.delete(name);
  }
}
