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


  /** Plain read: no ordering with other memory operations. */
  public double get(int i) {
    return Double.longBitsToDouble((long) BITS.get(bytes, at(i)));
  }

  /** Plain write. */
  public void set(int i, double v) {
    BITS.set(bytes, at(i), Double.doubleToRawLongBits(v));
  }

  public double getVolatile(int i) {
    return Double.longBitsToDouble((long) BITS.getVolatile(bytes, at(i)));
  }

  public void setVolatile(int i, double v) {
    BITS.setVolatile(bytes, at(i), Double.doubleToRawLongBits(v));
  }

  public double getAndSet(int i, double v) {
    return Double.longBitsToDouble((long) BITS.getAndSet(bytes, at(i), Double.doubleToRawLongBits(v)));
  }

  /** Adds {@code delta} to element {@code i} atomically and returns the new value. */
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

  /** Sets element {@code i} to {@code update} if its bits are {@code expect}'s, atomically. */
  public boolean compareAndSet(int i, double expect, double update) {
    return BITS.compareAndSet(bytes, at(i), Double.doubleToRawLongBits(expect), Double.doubleToRawLongBits(update));
  }

  /** A copy of every element, each read with volatile semantics. */
  public double[] toArray() {
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = Double.longBitsToDouble((long) BITS.getVolatile(bytes, i << 3));
    }
    return out;
  }
}
