package io.jmanager.server.cluster;

/**
 * A double array in cluster mode: a {@code double[]} entry of the map {@code
 * jmanager:double-arrays} ({@link ClusterArray}).
 */
public final class ClusterDoubleArray extends ClusterArray<double[]> {
  /** The array {@code name} of {@code node}'s cluster, of {@code length} elements. */
  public ClusterDoubleArray(ClusterNode node, String name, int length) {
    super(node, "jmanager:double-arrays", name, length);
  }

  @Override
  double[] zeros() {
    return new double[length];
  }

  /** {@return the element at {@code index}} */
  public double get(int index) {
    check(index);
    return toArray()[index];
  }

  /** Sets the element at {@code index}. */
  public void set(int index, double value) {
    check(index);
    apply(new ArrayOps.SetDoubles(length, index, new double[] {value}));
  }

  /** Adds {@code delta} to the element at {@code index}, atomically; {@return its new value} */
  public double addAndGet(int index, double delta) {
    check(index);
    return apply(new ArrayOps.AddDouble(length, index, delta));
  }

  /** Writes {@code src} from index {@code from} on, atomically. */
  public void set(int from, double[] src) {
    checkRange(from, src.length);
    apply(new ArrayOps.SetDoubles(length, from, src));
  }
}
