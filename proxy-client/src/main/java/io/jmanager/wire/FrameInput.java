package io.jmanager.wire;

import com.esotericsoftware.kryo.io.Input;

/**
 * The {@link Input} over one whole frame, which makes decoding cost what the frame carries: every
 * length or element count a peer announces is checked against the bytes left in the frame before
 * anything is allocated for it. Kryo's own readers allocate first (a 17-byte frame announcing an
 * {@code ArrayList} of 2<sup>30</sup> elements would cost 4 GB before the first element is read).
 *
 * <p>Every element of a collection, map or array takes at least one byte of its own on the wire
 * (a class id, a null marker or a length), except where a serializer writes none (a collection of
 * nulls written as "all of one type, null"); so a frame may announce, in all its containers
 * together, at most its own length plus {@value #FREE_ELEMENTS} elements. Strings and primitive
 * arrays are checked against the bytes they need. After a large string, the character buffer Kryo
 * keeps between reads is given back.
 */
final class FrameInput extends Input {
  /** Elements a frame may announce beyond its length: room for zero-byte elements (runs of nulls). */
  static final int FREE_ELEMENTS = 1 << 16;
  private static final int KEEP_CHARS = 1 << 16;

  private long elements;

  /** Reads {@code buf[offset, offset + length)}, one frame body. */
  void frame(byte[] buf, int offset, int length) {
    setBuffer(buf, offset, length);
    elements = (long) length + FREE_ELEMENTS;
  }

  /** Lets go of the frame, and of a character buffer a large string grew. */
  void release(byte[] empty) {
    setBuffer(empty);
    if (chars.length > KEEP_CHARS) {
      chars = new char[32];
    }
  }

  /**
   * A container is about to be made for {@code count} elements: refuses a count the frame cannot
   * hold.
   */
  void claimElements(long count) {
    if (count < 0 || count > elements) {
      throw new LengthLimitException(count + " elements announced with " + (limit - position) + " bytes left in the frame");
    }
    elements -= count;
  }

  private void claimBytes(long count, int width) {
    if (count < 0 || count * width > limit - position) {
      throw new LengthLimitException(
          count + " elements of " + width + " bytes announced with " + (limit - position) + " bytes left in the frame");
    }
  }

  @Override
  public String readString() {
    checkStringLength();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkStringLength();
    return super.readStringBuilder();
  }

  /** A UTF-8 string announces its length in chars; each takes at least one byte. */
  private void checkStringLength() {
    if (position < limit && readVarIntFlag()) {
      int start = position;
      int count = readVarIntFlag(true);
      position = start;
      if (count != 0 && count != 1) { // 0 is null, 1 is ""; a negative count (5-byte varint) is refused
        claimBytes(count - 1L, 1);
      }
    }
  }

  @Override
  public byte[] readBytes(int length) {
    claimBytes(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    claimBytes(length, Integer.BYTES);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    claimBytes(length, 1);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    claimBytes(length, Long.BYTES);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    claimBytes(length, 1);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    claimBytes(length, Float.BYTES);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    claimBytes(length, Double.BYTES);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    claimBytes(length, Short.BYTES);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    claimBytes(length, Character.BYTES);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    claimBytes(length, 1);
    return super.readBooleans(length);
  }

  /** Claims {@code count} elements if {@code in} reads a frame (it always does on the wire). */
  static void claim(Input in, long count) {
    if (in instanceof FrameInput f) {
      f.claimElements(count);
    }
  }

  /**
   * Claims the elements announced by a {@code length + 1} varint prefix (0 meaning null) at the
   * current position, without consuming it: for Kryo array readers that allocate as they read it.
   */
  static void claimPrefixed(Input in) {
    if (in instanceof FrameInput f && f.position < f.limit) {
      int start = f.position;
      int n = f.readVarInt(true);
      f.position = start;
      if (n != 0) {
        f.claimElements(n - 1L); // a negative n (a 5-byte varint) is refused too
      }
    }
  }
}
