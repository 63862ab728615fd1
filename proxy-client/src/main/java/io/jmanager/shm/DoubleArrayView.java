package io.jmanager.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Doubles of a {@link SharedMemory} block, with atomic operations across every process that maps
 * the block: plain, volatile and atomic access, in the platform's byte order (IEEE 754, as
 * Python's {@code "=d"}). {@link #addAndGet} is a compare-and-set loop; {@link #compareAndSet}
 * compares bit patterns (so {@code NaN} matches the same {@code NaN}, and {@code 0.0} does not
 * match {@code -0.0}), as Guava's {@code AtomicDouble} does. Indexes are checked. Thread-safe.
 */
public final class DoubleArrayView extends ArrayView {
  private static final VarHandle BITS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());


  DoubleArrayView(SharedMemory block, ByteBuffer bytes, int length) {
    super(block, bytes, length, Double.BYTES);
  }


  /**
   * {@return element {@code i}, read plainly: no ordering with other memory operations} Use
   * {@link #getVolatile} to see another process's latest write.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   */
  public double get(int i) {
    return Double.longBitsToDouble((long) BITS.get(bytes, at(i)));
  }

  /**
   * Writes element {@code i} plainly: other processes may see it late, or out of order with other
   * writes. Use {@link #setVolatile} to publish.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param v the new value
   */
  public void set(int i, double v) {
    BITS.set(bytes, at(i), Double.doubleToRawLongBits(v));
  }

  /**
   * {@return element {@code i}, read with volatile semantics: it sees every write that another
   * process published before it with a volatile or atomic operation}
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   */
  public double getVolatile(int i) {
    return Double.longBitsToDouble((long) BITS.getVolatile(bytes, at(i)));
  }

  /**
   * Writes element {@code i} with volatile semantics: a later volatile read in any process sees it,
   * and every write this thread made before it.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param v the new value
   */
  public void setVolatile(int i, double v) {
    BITS.setVolatile(bytes, at(i), Double.doubleToRawLongBits(v));
  }

  /**
   * Replaces element {@code i} atomically.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param v the new value
   * @return the value it replaced
   */
  public double getAndSet(int i, double v) {
    return Double.longBitsToDouble((long) BITS.getAndSet(bytes, at(i), Double.doubleToRawLongBits(v)));
  }

  /**
   * Adds {@code delta} to element {@code i} atomically (a compare-and-set loop).
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param delta what to add; negative subtracts
   * @return the new value
   */
  public double addAndGet(int i, double delta) {
    int at = at(i);
    while (true) {
      long bits = (long) BITS.getVolatile(bytes, at);
      double next = Double.longBitsToDouble(bits) + delta;
      if (BITS.compareAndSet(bytes, at, bits, Double.doubleToRawLongBits(next))) {
        return next;
      }
    }
  }

  /**
   * Sets element {@code i} to {@code update} if its bits are {@code expect}'s, atomically.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param expect the value the caller last read, compared bit for bit
   * @param update the new value
   * @return whether it was set; false if another thread or process changed it first
   */
  public boolean compareAndSet(int i, double expect, double update) {
    return BITS.compareAndSet(bytes, at(i), Double.doubleToRawLongBits(expect), Double.doubleToRawLongBits(update));
  }

  /**
   * {@return a copy of every element, each read with volatile semantics} Not a snapshot: elements
   * written meanwhile may be seen before or after the write.
   */
  public double[] toArray() {
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = Double.longBitsToDouble((long) BITS.getVolatile(bytes, i << 3));
    }
    return out;
  }
}
