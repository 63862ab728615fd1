package io.jmanager.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * A shared FIFO queue, Python's {@code manager.Queue()} with Java's {@link BlockingQueue} contract:
 * unbounded, or bounded by the capacity it was created with. {@code take()} on an empty queue and
 * {@code put()} on a full one wait until another process puts or takes; the wait is parked on the
 * daemon (no daemon thread per waiter) and waiters are served first-come first-served. Timed
 * {@code offer}/{@code poll} give up on time ({@code poll} returns {@code null}).
 *
 * <p>An interrupted waiting thread cancels its daemon-side wait and throws {@link
 * InterruptedException}; if an item reached it first, the call returns that item with the
 * interrupt flag set, so no item is lost. Null elements throw {@link NullPointerException}.
 * {@link #iterator()} is a snapshot. Thread-safe.
 */
public interface SharedQueue<E> extends BlockingQueue<E>, SharedObject {

  /**
   * Removes up to {@code maxElements} items in one atomic call, without waiting: a put waiting on a
   * full queue may then go ahead.
   *
   * @param maxElements the most items to take
   * @return the items taken, oldest first; empty if the queue was
   */
  List<E> drain(int maxElements);

  /** {@return a snapshot of the items, oldest first, without taking them} */
  ArrayList<E> copy();

  @Override
  default int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  default int drainTo(Collection<? super E> c, int maxElements) {
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    List<E> drained = drain(maxElements);
    c.addAll(drained);
    return drained.size();
  }

  @Override
  default Iterator<E> iterator() {
    return Collections.unmodifiableList(copy()).iterator();
  }

  /** Removes, one call each, every element of a snapshot that {@code filter} accepts; not atomic. */
  @Override
  default boolean removeIf(java.util.function.Predicate<? super E> filter) {
    return io.jmanager.client.internal.Snapshots.removeIf(this, copy(), filter);
  }

  @Override
  default Object[] toArray() {
    return copy().toArray();
  }

  @Override
  default <T> T[] toArray(T[] a) {
    return copy().toArray(a);
  }
}
