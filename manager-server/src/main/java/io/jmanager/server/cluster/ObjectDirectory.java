package io.jmanager.server.cluster;

import java.util.function.Consumer;

/**
 * Which objects exist in the cluster, by name: their typeid and creation parameters, shared by
 * every daemon, so a name means the same object whichever daemon a client reaches.
 */
public interface ObjectDirectory {
  /**
   * An object as the directory has it.
   *
   * @param typeid its type
   * @param params the parameters it was created with
   * @param created whether this call created the entry (then this daemon initializes the object)
   */
  record Entry(String typeid, Object[] params, boolean created) {}

  /**
   * {@return the object {@code name}: the existing one, else one of {@code typeid} with {@code
   * params}, created now}
   */
  Entry claim(String name, String typeid, Object[] params);

  /** {@return the object {@code name}, or null if the cluster has none} */
  Entry lookup(String name);

  /** Removes {@code name} from the directory (its state is destroyed by the caller). */
  void remove(String name);

  /** Calls {@code listener} with each name removed from the directory by any daemon. */
  void onRemoved(Consumer<String> listener);

  /** {@return the cluster's objects of those {@code typeids}, by name} */
  java.util.Map<String, Entry> ofTypes(java.util.Set<String> typeids);

  /** {@return the names of every object of the cluster} */
  java.util.Set<String> names();

  /** Calls {@code listener} with each object any daemon adds to the directory. */
  void onAdded(java.util.function.BiConsumer<String, Entry> listener);
}
