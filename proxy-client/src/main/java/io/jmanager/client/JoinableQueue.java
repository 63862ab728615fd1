package io.jmanager.client;

import java.time.Duration;

/**
 * A {@link SharedQueue} that counts unfinished tasks, Python's {@code JoinableQueue}: every item put
 * is a task until a consumer calls {@link #taskDone()}; {@link #join()} waits until every task is
 * done. Thread-safe.
 */
public interface JoinableQueue<E> extends SharedQueue<E> {

  /**
   * Marks one task as done.
   *
   * @throws IllegalStateException if called more times than items were put
   */
  void taskDone();

  /**
   * Waits (parked on the daemon), for as long as it takes, until every item put has been marked
   * done; returns at once if none is pending.
   *
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  void join() throws InterruptedException;

  /**
   * As {@link #join()}, giving up after {@code timeout}.
   *
   * @param timeout the longest wait
   * @return whether every task was done within {@code timeout}
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  boolean join(Duration timeout) throws InterruptedException;
}
