package io.jmanager.server.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * The operations of cluster arrays, run by Hazelcast on the member that owns the array's entry
 * (and on its backup): each is atomic with respect to the others on the same array. They are
 * jmanager's classes, present on every daemon; the entry holds a {@code long[]} or {@code
 * double[]}, which Hazelcast serializes itself.
 */
final class ArrayOps {
  private ArrayOps() {}

  /** Adds {@code delta} to element {@code index} of a {@code long[]}; returns the new value. */
  record AddLong(int length, int index, long delta) implements EntryProcessor<String, long[], Long> {
    @Override
    public Long process(Map.Entry<String, long[]> entry) {
      long[] a = entry.getValue() != null ? entry.getValue() : new long[length];
      long v = a[index] += delta;
      entry.setValue(a);
      return v;
    }
  }

  /** Adds {@code delta} to element {@code index} of a {@code double[]}; returns the new value. */
  record AddDouble(int length, int index, double delta) implements EntryProcessor<String, double[], Double> {
    @Override
    public Double process(Map.Entry<String, double[]> entry) {
      double[] a = entry.getValue() != null ? entry.getValue() : new double[length];
      double v = a[index] += delta;
      entry.setValue(a);
      return v;
    }
  }

  /** Writes {@code src} into a {@code long[]} from {@code from} on. */
  record SetLongs(int length, int from, long[] src) implements EntryProcessor<String, long[], Void> {
    @Override
    public Void process(Map.Entry<String, long[]> entry) {
      long[] a = entry.getValue() != null ? entry.getValue() : new long[length];
      System.arraycopy(src, 0, a, from, src.length);
      entry.setValue(a);
      return null;
    }
  }

  /** Writes {@code src} into a {@code double[]} from {@code from} on. */
  record SetDoubles(int length, int from, double[] src) implements EntryProcessor<String, double[], Void> {
    @Override
    public Void process(Map.Entry<String, double[]> entry) {
      double[] a = entry.getValue() != null ? entry.getValue() : new double[length];
      System.arraycopy(src, 0, a, from, src.length);
      entry.setValue(a);
      return null;
    }
  }
}
