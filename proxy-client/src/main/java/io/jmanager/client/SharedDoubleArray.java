package io.jmanager.client;

/**
 * A shared fixed-length array of {@code double}, Python's {@code manager.Array("d", n)}: every element
 * starts at 0 and every method is one atomic daemon operation. A bad index throws {@link
 * IndexOutOfBoundsException}. Thread-safe.
 */
public interface SharedDoubleArray extends SharedObject {
  /** {@return the number of elements, fixed at creation} Answered by the daemon. */
  int length();

  /**
   * {@return the element at {@code index}}
   *
   * @param index from 0 to {@code length() - 1}
   */
  double get(int index);

  /**
   * Sets the element at {@code index}.
   *
   * @param index from 0 to {@code length() - 1}
   * @param value the new value
   */
  void set(int index, double value);

  /**
   * Adds {@code delta} to the element at {@code index}, atomically.
   *
   * @param index from 0 to {@code length() - 1}
   * @param delta what to add; negative subtracts
   * @return the element's new value
   */
  double addAndGet(int index, double delta);

  /** {@return a copy of the whole array, the caller's own} */
  double[] toArray();

  /**
   * Writes {@code values} from index {@code from} on, atomically: no {@link #toArray()} sees
   * part of them.
   *
   * @param from the index {@code values[0]} goes to
   * @param values the elements to write
   * @throws IndexOutOfBoundsException if they do not fit from {@code from}; nothing is written
   */
  void set(int from, double[] values);
}
