package io.jmanager.client.internal;

import java.util.Collection;
import java.util.function.Predicate;

/** Client-side bulk operations built from a snapshot and single remote calls. */
public final class Snapshots {
  private Snapshots() {}

  /** Removes from {@code target}, one call each, every element of {@code snapshot} that matches. */
  public static <E> boolean removeIf(Collection<E> target, Collection<E> snapshot, Predicate<? super E> filter) {
    boolean removed = false;
    for (E e : snapshot) {
      if (filter.test(e)) {
        removed |= target.remove(e);
      }
    }
    return removed;
  }
}
