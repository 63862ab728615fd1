package io.jmanager.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Ints of a {@link SharedMemory} block, with {@link java.util.concurrent.atomic.AtomicIntegerArray}'s
 * operations across every process that maps the block: plain ({@link #get}, {@link #set}), volatile
 * ({@link #getVolatile}, {@link #setVolatile}) and atomic ({@link #addAndGet}, {@link
 * #compareAndSet}, ...) access, in the platform's byte order. Indexes are checked. Thread-safe.
 */
public final class IntArrayView extends ArrayView {
  private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());


  IntArrayView(SharedMemory block, ByteBuffer bytes, int length) {
    super(block, bytes, length, Integer.BYTES);
  }


  /** Plain read: no ordering with other memory operations. */
  public int get(int i) {
    return (int) INTS.get(bytes, at(i));
  }

  /** Plain write. */
  public void set(int i, int v) {
    INTS.set(bytes, at(i), v);
  }

  public int getVolatile(int i) {
    return (int) INTS.getVolatile(bytes, at(i));
  }

  public void setVolatile(int i, int v) {
    INTS.setVolatile(bytes, at(i), v);
  }

  public int getAndSet(int i, int v) {
    return (int) INTS.getAndSet(bytes, at(i), v);
  }

  public int getAndAdd(int i, int delta) {
    return (int) INTS.getAndAdd(bytes, at(i), delta);
  }

  public int addAndGet(int i, int delta) {
    return (int) INTS.getAndAdd(bytes, at(i), delta) + delta;
  }

  public int incrementAndGet(int i) {
    return addAndGet(i, 1);
  }

  public int decrementAndGet(int i) {
    return addAndGet(i, -1);
  }

  /** Sets element {@code i} to {@code update} if it is {@code expect}, atomically; true if it did. */
  public boolean compareAndSet(int i, int expect, int update) {
    return INTS.compareAndSet(bytes, at(i), expect, update);
  }

  /** A copy of every element, each read with volatile semantics. */
  public int[] toArray() {
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = (int) INTS.getVolatile(bytes, i << 2);
    }
    return out;
  }
}
