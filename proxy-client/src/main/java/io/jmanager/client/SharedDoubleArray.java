package io.jmanager.client;

/**
 * A shared fixed-length array of {@code double}, Python's {@code manager.Array("d", n)}: every element
 * starts at 0 and every method is one atomic daemon operation. A bad index throws {@link
 * IndexOutOfBoundsException}. Thread-safe.
 */
public interface SharedDoubleArray extends SharedObject {
  int length();

  double get(int index);

  void set(int index, double value);

  double addAndGet(int index, double delta);

  /** A copy of the whole array. */
  double[] toArray();

  /** Writes {@code values} from index {@code from} on, atomically. */
  void set(int from, double[] values);
}
