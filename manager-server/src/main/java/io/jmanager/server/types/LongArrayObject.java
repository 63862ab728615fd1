package io.jmanager.server.types;

import java.util.concurrent.atomic.AtomicLongArray;

/** The daemon side of {@code SharedLongArray}: an {@link AtomicLongArray}. */
public final class LongArrayObject implements Described {
  private final AtomicLongArray values;

  public LongArrayObject(int length) {
    values = new AtomicLongArray(length);
  }

  public int length() {
    return values.length();
  }

  public long get(int index) {
    return values.get(index);
  }

  public void set(int index, long value) {
    values.set(index, value);
  }

  public long addAndGet(int index, long delta) {
    return values.addAndGet(index, delta);
  }

  public synchronized long[] toArray() {
    long[] out = new long[values.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

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
