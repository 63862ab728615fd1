package io.jmanager.client;

/**
 * A shared fixed-length array of {@code long}, Python's {@code manager.Array('q', n)}: every element
 * starts at 0 and every method is one atomic daemon operation. A bad index throws {@link
 * IndexOutOfBoundsException}. Thread-safe.
 */
public interface SharedLongArray extends SharedObject {
  int length();

  long get(int index);

  void set(int index, long value);

  long addAndGet(int index, long delta);

  /** A copy of the whole array. */
  long[] toArray();

  /** Writes {@code values} from index {@code from} on, atomically. */
  void set(int from, long[] values);
}
