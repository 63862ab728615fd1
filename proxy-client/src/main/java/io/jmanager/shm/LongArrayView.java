package io.jmanager.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Longs of a {@link SharedMemory} block, with {@link java.util.concurrent.atomic.AtomicLongArray}'s
 * operations across every process that maps the block: plain ({@link #get}, {@link #set}), volatile
 * ({@link #getVolatile}, {@link #setVolatile}) and atomic ({@link #addAndGet}, {@link
 * #compareAndSet}, ...) access, in the platform's byte order. Indexes are checked. Thread-safe.
 */
public final class LongArrayView extends ArrayView {
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());


  LongArrayView(SharedMemory block, ByteBuffer bytes, int length) {
    super(block, bytes, length, Long.BYTES);
  }


  /** Plain read: no ordering with other memory operations. */
  public long get(int i) {
    return (long) LONGS.get(bytes, at(i));
  }

  /** Plain write. */
  public void set(int i, long v) {
    LONGS.set(bytes, at(i), v);
  }

  public long getVolatile(int i) {
    return (long) LONGS.getVolatile(bytes, at(i));
  }

  public void setVolatile(int i, long v) {
    LONGS.setVolatile(bytes, at(i), v);
  }

  public long getAndSet(int i, long v) {
    return (long) LONGS.getAndSet(bytes, at(i), v);
  }

  public long getAndAdd(int i, long delta) {
    return (long) LONGS.getAndAdd(bytes, at(i), delta);
  }

  public long addAndGet(int i, long delta) {
    return (long) LONGS.getAndAdd(bytes, at(i), delta) + delta;
  }

  public long incrementAndGet(int i) {
    return addAndGet(i, 1);
  }

  public long decrementAndGet(int i) {
    return addAndGet(i, -1);
  }

  /** Sets element {@code i} to {@code update} if it is {@code expect}, atomically; true if it did. */
  public boolean compareAndSet(int i, long expect, long update) {
    return LONGS.compareAndSet(bytes, at(i), expect, update);
  }

  /** A copy of every element, each read with volatile semantics. */
  public long[] toArray() {
    long[] out = new long[length];
    for (int i = 0; i < length; i++) {
      out[i] = (long) LONGS.getVolatile(bytes, i << 3);
    }
    return out;
  }
}
