package io.jmanager.server.types;

import java.util.Arrays;
import java.util.Objects;

/** The daemon side of {@code SharedDoubleArray}: a {@code double[]} under its own monitor. */
public final class DoubleArrayObject implements Described {
  private final double[] values;

  /**
   * Creates the array of {@code length} zeros.
   *
   * @param length the number of elements
   * @throws NegativeArraySizeException if {@code length} is negative
   */
  public DoubleArrayObject(int length) {
    values = new double[length];
  }

  /** {@return the number of elements} */
  public int length() {
    return values.length;
  }

  /**
   * {@return the element at {@code index}}
   *
   * @param index from 0 to {@code length() - 1}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized double get(int index) {
    return values[Objects.checkIndex(index, values.length)];
  }

  /**
   * Sets the element at {@code index}.
   *
   * @param index from 0 to {@code length() - 1}
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized void set(int index, double value) {
    values[Objects.checkIndex(index, values.length)] = value;
  }

  /**
   * Adds {@code delta} to the element at {@code index}, atomically.
   *
   * @param index from 0 to {@code length() - 1}
   * @param delta what to add
   * @return the element's new value
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public synchronized double addAndGet(int index, double delta) {
    return values[Objects.checkIndex(index, values.length)] += delta;
  }

  /**
   * {@return a copy of every element, taken atomically with respect to {@code set(from, values)}}
   */
  public synchronized double[] toArray() {
    return values.clone();
  }

  /**
   * Writes {@code src} from index {@code from} on, atomically.
   *
   * @param from the index {@code src[0]} goes to
   * @param src the elements to write
   * @throws IndexOutOfBoundsException if they do not fit; nothing is written
   */
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
