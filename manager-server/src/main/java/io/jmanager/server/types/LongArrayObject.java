package io.jmanager.server.types;

import java.util.concurrent.atomic.AtomicLongArray;

/** The daemon side of {@code SharedLongArray}: an {@link AtomicLongArray}. */
public final class LongArrayObject implements Described {
  private final AtomicLongArray values;

  /**
   * Creates the array of {@code length} zeros.
   *
   * @param length the number of elements
   * @throws NegativeArraySizeException if {@code length} is negative
   */
  public LongArrayObject(int length) {
    values = new AtomicLongArray(length);
  }

  /** {@return the number of elements} */
  public int length() {
    return values.length();
  }

  /**
   * {@return the element at {@code index}}
   *
   * @param index from 0 to {@code length() - 1}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public long get(int index) {
    return values.get(index);
  }

  /**
   * Sets the element at {@code index}.
   *
   * @param index from 0 to {@code length() - 1}
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public void set(int index, long value) {
    values.set(index, value);
  }

  /**
   * Adds {@code delta} to the element at {@code index}, atomically.
   *
   * @param index from 0 to {@code length() - 1}
   * @param delta what to add
   * @return the element's new value
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public long addAndGet(int index, long delta) {
    return values.addAndGet(index, delta);
  }

  /**
   * {@return a copy of every element, taken atomically with respect to {@code set(from, values)}}
   */
  public synchronized long[] toArray() {
    long[] out = new long[values.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /**
   * Writes {@code src} from index {@code from} on, atomically.
   *
   * @param from the index {@code src[0]} goes to
   * @param src the elements to write
   * @throws IndexOutOfBoundsException if they do not fit; nothing is written
   */
  public synchronized void set(int from, long[] src) {
    if (from < 0 || from + src.length > values.length()) {
      throw new IndexOutOfBoundsException(
          "cannot write " + src.length + " values at " + from + " into length " + values.length());
    }
    for (int i = 0; i < src.length; i++) {
      values.set(from + i, src[i]);
    }
  }

  @Override
  public long statusSize() {
    return values.length();
  }
}
