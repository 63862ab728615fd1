package io.jmanager.server.types;

import java.util.List;

/**
 * What a queue tells the daemon's journal about its items, from inside its own monitor, so the
 * journal holds them in the order they happened: items move by calls and without them (an item
 * given back from a closed session; a parked put let in by a take).
 */
public interface QueueEffects {
  /** Nothing is recorded (no journal). */
  QueueEffects NONE = new QueueEffects() {};

  /**
   * {@code item} joined the tail (an item handed straight to a waiting taker never does).
   *
   * @param item the item
   */
  default void added(Object item) {}

  /**
   * {@code items}, given back, went to the head in this order.
   *
   * @param items the items, oldest first
   */
  default void prepended(List<Object> items) {}

  /**
   * {@code count} items left the head.
   *
   * @param count how many
   */
  default void removedFirst(int count) {}

  /**
   * The items are now exactly {@code items} (after a removal by value or a clear).
   *
   * @param items every item, head first
   */
  default void replaced(List<Object> items) {}

  /**
   * A joinable queue's unfinished-task count is now {@code count}.
   *
   * @param count the unfinished tasks
   */
  default void unfinished(long count) {}
}
