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


  /**
   * {@return element {@code i}, read plainly: no ordering with other memory operations} Use
   * {@link #getVolatile} to see another process's latest write.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   */
  public int get(int i) {
    return (int) INTS.get(bytes, at(i));
  }

  /**
   * Writes element {@code i} plainly: other processes may see it late, or out of order with other
   * writes. Use {@link #setVolatile} to publish.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param v the new value
   */
  public void set(int i, int v) {
    INTS.set(bytes, at(i), v);
  }

  /**
   * {@return element {@code i}, read with volatile semantics: it sees every write that another
   * process published before it with a volatile or atomic operation}
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   */
  public int getVolatile(int i) {
    return (int) INTS.getVolatile(bytes, at(i));
  }

  /**
   * Writes element {@code i} with volatile semantics: a later volatile read in any process sees it,
   * and every write this thread made before it.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param v the new value
   */
  public void setVolatile(int i, int v) {
    INTS.setVolatile(bytes, at(i), v);
  }

  /**
   * Replaces element {@code i} atomically.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param v the new value
   * @return the value it replaced
   */
  public int getAndSet(int i, int v) {
    return (int) INTS.getAndSet(bytes, at(i), v);
  }

  /**
   * Adds {@code delta} to element {@code i} atomically, wrapping on overflow.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param delta what to add; negative subtracts
   * @return the value before the addition
   */
  public int getAndAdd(int i, int delta) {
    return (int) INTS.getAndAdd(bytes, at(i), delta);
  }

  /**
   * Adds {@code delta} to element {@code i} atomically, wrapping on overflow.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param delta what to add; negative subtracts
   * @return the new value
   */
  public int addAndGet(int i, int delta) {
    return (int) INTS.getAndAdd(bytes, at(i), delta) + delta;
  }

  /**
   * {@return element {@code i} after adding 1 to it atomically}
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   */
  public int incrementAndGet(int i) {
    return addAndGet(i, 1);
  }

  /**
   * {@return element {@code i} after subtracting 1 from it atomically}
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   */
  public int decrementAndGet(int i) {
    return addAndGet(i, -1);
  }

  /**
   * Sets element {@code i} to {@code update} if it is {@code expect}, atomically.
   *
   * @param i the element's index, from 0 to {@code length() - 1}
   * @param expect the value the caller last read
   * @param update the new value
   * @return whether it was set; false if another thread or process changed it first
   */
  public boolean compareAndSet(int i, int expect, int update) {
    return INTS.compareAndSet(bytes, at(i), expect, update);
  }

  /**
   * {@return a copy of every element, each read with volatile semantics} Not a snapshot: elements
   * written meanwhile may be seen before or after the write.
   */
  public int[] toArray() {
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = (int) INTS.getVolatile(bytes, i << 2);
    }
    return out;
  }
}
