package io.jmanager.server.cluster;

import com.hazelcast.map.IMap;
import io.jmanager.server.types.Described;

/**
 * A long array in cluster mode: one entry (a {@code long[]}) of the map {@code jmanager:arrays},
 * keyed by the array's name, backed up like a dict's. {@code addAndGet} and {@code set(from,
 * values)} run on the member owning the entry, atomically ({@link ArrayOps}).
 */
public final class ClusterLongArray implements ClusterObject, Described {
  static final String ARRAYS = "jmanager:arrays";

  private final IMap<String, long[]> arrays;
  private final String name;
  private final int length;

  /** The array {@code name} of {@code node}'s cluster, of {@code length} elements. */
  public ClusterLongArray(ClusterNode node, String name, int length) {
    if (length < 0) {
      throw new NegativeArraySizeException("array length " + length);
    }
    this.arrays = node.hazelcast().getMap(ARRAYS);
    this.name = name;
    this.length = length;
  }

  @Override
  public void initialize(Object[] params) {
    arrays.putIfAbsent(name, new long[length]);
  }

  private void check(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
    }
  }

  /** {@return the number of elements} */
  public int length() {
    return length;
  }

  /** {@return the element at {@code index}} */
  public long get(int index) {
    check(index);
    long[] a = arrays.get(name);
    return a == null ? 0 : a[index];
  }

  /** Sets the element at {@code index}. */
  public void set(int index, long value) {
    check(index);
    arrays.executeOnKey(name, new ArrayOps.SetLongs(length, index, new long[] {value}));
  }

  /** Adds {@code delta} to the element at {@code index}, atomically; {@return its new value} */
  public long addAndGet(int index, long delta) {
    check(index);
    return arrays.executeOnKey(name, new ArrayOps.AddLong(length, index, delta));
  }

  /** {@return a copy of every element} */
  public long[] toArray() {
    long[] a = arrays.get(name);
    return a == null ? new long[length] : a;
  }

  /** Writes {@code src} from index {@code from} on, atomically. */
  public void set(int from, long[] src) {
    if (from < 0 || from + src.length > length) {
      throw new IndexOutOfBoundsException("cannot write " + src.length + " values at " + from + " into length " + length);
    }
    arrays.executeOnKey(name, new ArrayOps.SetLongs(length, from, src));
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
