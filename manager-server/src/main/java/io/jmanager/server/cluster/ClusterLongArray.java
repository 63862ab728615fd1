package io.jmanager.server.cluster;

/**
 * A long array in cluster mode: a {@code long[]} entry of the map {@code jmanager:arrays} ({@link
 * ClusterArray}).
 */
public final class ClusterLongArray extends ClusterArray<long[]> {
  /** The array {@code name} of {@code node}'s cluster, of {@code length} elements. */
  public ClusterLongArray(ClusterNode node, String name, int length) {
    super(node, "jmanager:arrays", name, length);
  }

  @Override
  long[] zeros() {
    return new long[length];
  }

  /** {@return the element at {@code index}} */
  public long get(int index) {
    check(index);
    return toArray()[index];
  }

  /** Sets the element at {@code index}. */
  public void set(int index, long value) {
    check(index);
    apply(new ArrayOps.SetLongs(length, index, new long[] {value}));
  }

  /** Adds {@code delta} to the element at {@code index}, atomically; {@return its new value} */
  public long addAndGet(int index, long delta) {
    check(index);
    return apply(new ArrayOps.AddLong(length, index, delta));
  }

  /** Writes {@code src} from index {@code from} on, atomically. */
  public void set(int from, long[] src) {
    checkRange(from, src.length);
    apply(new ArrayOps.SetLongs(length, from, src));
  }
}
