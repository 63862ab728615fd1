package io.jmanager.server.cluster;

import com.hazelcast.map.IMap;
import io.jmanager.server.types.Described;

/**
 * A double array in cluster mode: one entry (a {@code double[]}) of the map {@code
 * jmanager:double-arrays}, keyed by the array's name, backed up like a dict's. {@code addAndGet} and {@code set(from,
 * values)} run on the member owning the entry, atomically ({@link ArrayOps}).
 */
public final class ClusterDoubleArray implements ClusterObject, Described {
  static final String ARRAYS = "jmanager:double-arrays";

  private final IMap<String, double[]> arrays;
  private final String name;
  private final int length;

  /** The array {@code name} of {@code node}'s cluster, of {@code length} elements. */
  public ClusterDoubleArray(ClusterNode node, String name, int length) {
    if (length < 0) {
      throw new NegativeArraySizeException("array length " + length);
    }
    this.arrays = node.hazelcast().getMap(ARRAYS);
    this.name = name;
    this.length = length;
  }

  @Override
  public void initialize(Object[] params) {
    arrays.putIfAbsent(name, new double[length]);
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
  public double get(int index) {
    check(index);
    double[] a = arrays.get(name);
    return a == null ? 0 : a[index];
  }

  /** Sets the element at {@code index}. */
  public void set(int index, double value) {
    check(index);
    arrays.executeOnKey(name, new ArrayOps.SetDoubles(length, index, new double[] {value}));
  }

  /** Adds {@code delta} to the element at {@code index}, atomically; {@return its new value} */
  public double addAndGet(int index, double delta) {
    check(index);
    return arrays.executeOnKey(name, new ArrayOps.AddDouble(length, index, delta));
  }

  /** {@return a copy of every element} */
  public double[] toArray() {
    double[] a = arrays.get(name);
    return a == null ? new double[length] : a;
  }

  /** Writes {@code src} from index {@code from} on, atomically. */
  public void set(int from, double[] src) {
    if (from < 0 || from + src.length > length) {
      throw new IndexOutOfBoundsException("cannot write " + src.length + " values at " + from + " into length " + length);
    }
    arrays.executeOnKey(name, new ArrayOps.SetDoubles(length, from, src));
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
