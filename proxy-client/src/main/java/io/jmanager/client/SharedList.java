package io.jmanager.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Spliterator;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A shared list, Python's {@code manager.list()} with Java's {@link List} contract. Elements are
 * copied to and from the daemon; nulls are allowed. Each abstract {@code List} method is one atomic
 * daemon operation; an index out of range throws {@link IndexOutOfBoundsException} in the caller.
 *
 * <p>{@link #iterator()}, {@link #listIterator()} and {@link #subList} return immutable snapshots
 * taken in one round trip (their {@code remove}/{@code set}/{@code add} throw {@link
 * UnsupportedOperationException}). {@link #replaceAll} and {@link #removeIf} run in the caller
 * element by element and are not atomic as a whole. Thread-safe.
 */
public interface SharedList<E> extends List<E>, SharedObject {

  /** {@return the whole list as a plain {@code ArrayList}, the caller's own, in one round trip} */
  ArrayList<E> copy();

  /** An immutable snapshot of {@code [from, to)}, in one round trip. */
  @Override
  List<E> subList(int fromIndex, int toIndex);

  /**
   * Sorts the list on the daemon in one atomic call. {@code null} means natural order; any other
   * comparator is sent to the daemon, so it must be a serializable class the daemon allows.
   */
  @Override
  void sort(Comparator<? super E> c);

  @Override
  default Iterator<E> iterator() {
    return Collections.unmodifiableList(copy()).iterator();
  }

  @Override
  default ListIterator<E> listIterator() {
    return Collections.unmodifiableList(copy()).listIterator();
  }

  @Override
  default ListIterator<E> listIterator(int index) {
    return Collections.unmodifiableList(copy()).listIterator(index);
  }

  @Override
  default Spliterator<E> spliterator() {
    return Collections.unmodifiableList(copy()).spliterator();
  }

  @Override
  default Object[] toArray() {
    return copy().toArray();
  }

  @Override
  default <T> T[] toArray(T[] a) {
    return copy().toArray(a);
  }

  /** Replaces each element in turn, one {@code get} and one {@code set} each; not atomic. */
  @Override
  default void replaceAll(UnaryOperator<E> operator) {
    for (int i = 0, n = size(); i < n; i++) {
      set(i, operator.apply(get(i)));
    }
  }

  /** Removes, one call each, every element of a snapshot that {@code filter} accepts; not atomic. */
  @Override
  default boolean removeIf(Predicate<? super E> filter) {
    return io.jmanager.client.internal.Snapshots.removeIf(this, copy(), filter);
  }
}
