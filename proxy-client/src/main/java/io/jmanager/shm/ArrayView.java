package io.jmanager.shm;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What the typed views of a {@link SharedMemory} block share: the block, the bytes they cover and
 * their length in elements. The typed operations stay in each view, where their {@code VarHandle}
 * calls compile to single machine instructions.
 */
public abstract sealed class ArrayView permits LongArrayView, IntArrayView, DoubleArrayView {
  private final SharedMemory block;
  final ByteBuffer bytes;
  final int length;
  private final int shift; // log2 of the element's width in bytes

  ArrayView(SharedMemory block, ByteBuffer bytes, int length, int width) {
    this.block = block;
    this.bytes = bytes;
    this.length = length;
    this.shift = Integer.numberOfTrailingZeros(width);
  }

  /** {@return the number of elements in this view} */
  public final int length() {
    return length;
  }

  /** {@return the block this view is of; the view keeps working after the block is closed} */
  public final SharedMemory block() {
    return block;
  }

  /** The byte offset of element {@code i} in {@link #bytes}, checked. */
  final int at(int i) {
    return Objects.checkIndex(i, length) << shift;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + length + " of " + block.name() + "]";
  }
}
