package io.jmanager.server.types;

import java.util.Arrays;
import java.util.Objects;

/** The daemon side of {@code SharedDoubleArray}: a {@code double[]} under its own monitor. */
public final class DoubleArrayObject implements Described {
  private final double[] values;

  public DoubleArrayObject(int length) {
    values = new double[length];
  }

  public int length() {
    return values.length;
  }

  public synchronized double get(int index) {
    return values[Objects.checkIndex(index, values.length)];
  }

  public synchronized void set(int index, double value) {
    values[Objects.checkIndex(index, values.length)] = value;
  }

  public synchronized double addAndGet(int index, double delta) {
    return values[Objects.checkIndex(index, values.length)] += delta;
  }

  public synchronized double[] toArray() {
    return values.clone();
  }

  public synchronized void set(int from, double[] src) {
    Objects.checkFromIndexSize(from, src.length, values.length);
    System.arraycopy(src, 0, values, from, src.length);
  }

  @Override
  public long statusSize() {
    return values.length;
  }

  @Override
  public synchronized String toString() {
    return Arrays.toString(values);
  }
}
