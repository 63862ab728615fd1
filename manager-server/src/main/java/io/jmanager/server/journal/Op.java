package io.jmanager.server.journal;

/**
 * What a journal record does to its object: an effect, never a call. The operands of each are
 * listed here; they are written with the wire's Kryo, so replay reads them through the same
 * allowlist and depth limit as live traffic. The byte value of each is its position: append new
 * ones at the end, never reorder.
 */
enum Op {
  /** Snapshot header, object id 0: {@code nextObjectId}. */
  META,
  /** The object exists: {@code typeid, name, params} (its creation parameters). */
  CREATE,
  /** The object was deleted. */
  DELETE,
  /** A dict entry, namespace attribute: {@code key, value}. */
  PUT,
  /** A dict entry or cache entry is gone: {@code key}. */
  REMOVE,
  /** Every entry, element or item is gone. */
  CLEAR,
  /** The whole value of a value or counter: {@code value}. */
  SET,
  /** A list element or array slot: {@code index, value}. */
  SET_AT,
  /** Array slots from {@code from}: {@code from, long[] or double[]}. */
  SET_RANGE,
  /** A list element inserted: {@code index, value}. */
  INSERT,
  /** A list element removed: {@code index}. */
  REMOVE_AT,
  /** A list element or queue item added at the tail: {@code value}. */
  APPEND,
  /** Queue items put back at the head, oldest first: {@code List}. */
  PREPEND,
  /** Queue items removed from the head: {@code count}. */
  REMOVE_FIRST,
  /** A joinable queue's unfinished-task count: {@code count}. */
  UNFINISHED,
  /** A cache entry: {@code key, value, expiresAtEpochMillis} (-1: no lifetime). */
  CACHE_PUT,
  /** A user type's whole state ({@link io.jmanager.server.DurableState}): {@code state}. */
  STATE;

  private static final Op[] VALUES = values();

  static Op of(int b) {
    if (b < 0 || b >= VALUES.length) {
      throw new IllegalArgumentException("unknown record type " + b);
    }
    return VALUES[b];
  }
}
