package io.jmanager.server.types;

/** What {@code bin/jmanager status} shows of an object: its size and any type-specific state. */
public interface Described {
  /** Element count (entries, items, length), or -1 if the type has none. */
  long statusSize();

  /** Type-specific state, e.g. a lock's holder; empty if none. */
  default String statusDetails() {
    return "";
  }
}
