package io.jmanager.client.internal;

import io.jmanager.wire.ObjectRef;
import java.util.HashMap;
import java.util.Map;

/**
 * What this client holds of one lock, rlock, condition's lock or semaphore, as it counts it: the
 * holds of each thread (for a semaphore, the permits of the whole connection), on the connection
 * they were taken on. The daemon releases everything a connection held when it drops; counted here,
 * a holder's next {@code unlock}/{@code release} after a reconnect learns that its hold was lost
 * with the connection ({@link IllegalMonitorStateException} saying so) instead of a bare "not the
 * owner". Shared by every proxy of the object in one {@link RealManager}. Thread-safe.
 */
final class Holds {
  private final ObjectRef ref;
  private final boolean perConnection; // a semaphore: permits belong to the connection, not a thread
  private final Map<Long, Integer> held = new HashMap<>(); // guarded by this
  private final Map<Long, Integer> lost = new HashMap<>(); // held on a lost connection; guarded by this
  private Connection on; // the connection {@code held} belongs to; guarded by this

  Holds(ObjectRef ref) {
    this.ref = ref;
    this.perConnection = ref.typeid().endsWith("semaphore");
  }

  private long key() {
    return perConnection ? 0 : Thread.currentThread().getId();
  }

  /** The holds counted on an earlier connection than {@code c} become lost ones. */
  private void moveTo(Connection c) {
    if (on != c) {
      held.forEach((k, n) -> lost.merge(k, n, Integer::sum));
      held.clear();
      on = c;
    }
  }

  /**
   * Before a release of {@code n} on {@code c}: if this thread (or connection) holds nothing on
   * {@code c} but held on a lost connection, that hold is gone: forgets it and throws.
   *
   * @throws IllegalMonitorStateException saying the hold was lost with the connection
   */
  synchronized void beforeRelease(Connection c, int n) {
    moveTo(c);
    long k = key();
    Integer lostHolds = lost.get(k);
    if (held.getOrDefault(k, 0) == 0 && lostHolds != null) {
      if (lostHolds <= n) {
        lost.remove(k);
      } else {
        lost.put(k, lostHolds - n);
      }
      String what = perConnection ? "the permits of semaphore '" + ref.name() + "' were"
          : "the " + ref.typeid() + " '" + ref.name() + "' was";
      throw new IllegalMonitorStateException(what + " lost with the connection to the daemon: the daemon released "
          + (perConnection ? "them" : "it") + " when the connection dropped, and this client no longer holds "
          + (perConnection ? "them" : "it"));
    }
  }

  /** {@code n} holds (or permits) were acquired on {@code c}. */
  synchronized void acquired(Connection c, int n) {
    moveTo(c);
    held.merge(key(), n, Integer::sum);
  }

  /** {@code n} holds (or permits) were released on {@code c}. */
  synchronized void released(Connection c, int n) {
    moveTo(c);
    long k = key();
    int left = held.getOrDefault(k, 0) - n;
    if (left > 0) {
      held.put(k, left);
    } else {
      held.remove(k);
    }
  }
}
