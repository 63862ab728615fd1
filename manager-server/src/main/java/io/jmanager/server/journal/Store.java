package io.jmanager.server.journal;

import java.util.List;

/**
 * What the journal needs of the daemon's object registry: to recreate objects at replay, and to
 * list them for a snapshot.
 */
public interface Store {
  /** A live object. {@code params} are the parameters it was created with. */
  record Live(int id, String typeid, String name, Object[] params, Object instance) {}

  /**
   * Recreates object {@code id} (replay).
   *
   * @throws IllegalArgumentException if {@code typeid} is not known to this daemon
   */
  void restore(int id, String typeid, String name, Object[] params);

  /** Deletes object {@code id} if it exists (replay). */
  void delete(int id);

  /** The instance of live object {@code id}, or null. */
  Object instance(int id);

  /** The id the next new object gets. */
  int nextId();

  /** Makes the next new object's id at least {@code id} (ids are never reused). */
  void reserveIds(int id);

  /** Every live object. */
  List<Live> live();
}
