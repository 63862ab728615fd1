package io.jmanager.server.types;

import java.util.List;

/** What {@code bin/jmanager status} and the dashboard show of an object: its size and any type-specific state. */
public interface Described {
  /** {@return the element count (entries, items, length), or -1 if the type has none} */
  long statusSize();

  /** {@return type-specific state in a few words, e.g. a lock's holder; empty if none} */
  default String statusDetails() {
    return "";
  }

  /**
   * {@return who holds this object and who waits for it, holders first; empty for types without
   * holders}
   */
  default List<Party> statusParties() {
    return List.of();
  }

  /**
   * A holder of, or a waiter for, a lock-like object.
   *
   * @param role {@code "holds"} or {@code "waits"}
   * @param owner the client thread
   * @param sinceNanos {@link System#nanoTime()} when it began to hold or wait, or -1 if not recorded
   */
  record Party(String role, Owner owner, long sinceNanos) {}
}
