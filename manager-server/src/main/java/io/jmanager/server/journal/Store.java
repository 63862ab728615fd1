package io.jmanager.server.journal;

import java.util.List;

/**
 * What the journal needs of the daemon's object registry: to recreate objects at replay, and to
 * list them for a snapshot.
 */
public interface Store {
  /**
   * A live object.
   *
   * @param id its id, unique in the journal's life
   * @param typeid its type id
   * @param name its name
   * @param params the parameters it was created with
   * @param instance the server-side object
   */
  record Live(int id, String typeid, String name, Object[] params, Object instance) {}

  /**
   * Recreates object {@code id} (replay).
   *
   * @param id the id it had
   * @param typeid its type id
   * @param name its name
   * @param params the parameters it was created with
   * @throws IllegalArgumentException if {@code typeid} is not known to this daemon
   */
  void restore(int id, String typeid, String name, Object[] params);

  /**
   * Deletes object {@code id} if it exists (replay).
   *
   * @param id the object's id
   */
  void delete(int id);

  /**
   * {@return the instance of live object {@code id}, or null if there is none}
   *
   * @param id the object's id
   */
  Object instance(int id);

  /** {@return the id the next new object gets} */
  int nextId();

  /**
   * Makes the next new object's id at least {@code id} (ids are never reused).
   *
   * @param id the lowest id a new object may get
   */
  void reserveIds(int id);

  /** {@return every live object, as a snapshot} */
  List<Live> live();
}
