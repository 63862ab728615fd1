package io.jmanager.common;

import io.jmanager.client.ServerInfo;
import java.util.Set;

/**
 * The daemon itself as a shared object (typeid {@code manager}): the operations behind {@link
 * io.jmanager.client.Manager}'s {@code exists}, {@code delete}, {@code names}, {@code info} and
 * {@code shutdown}. Bound once per connection, over the same wire as every other object.
 */
public interface ManagerService {
  /** The typeid, and the name, the daemon's service is bound by: {@value}. */
  String TYPEID = "manager";

  /**
   * {@return whether an object named {@code name} exists, of any type}
   *
   * @param name an object's name
   * @see io.jmanager.client.Manager#exists(String)
   */
  boolean exists(String name);

  /**
   * Deletes the object named {@code name}, if there is one.
   *
   * @param name an object's name
   * @see io.jmanager.client.Manager#delete(String)
   */
  void delete(String name);

  /**
   * {@return the names of every object, as a copy}
   *
   * @see io.jmanager.client.Manager#names()
   */
  Set<String> names();

  /**
   * {@return a snapshot of the daemon's state}
   *
   * @see io.jmanager.client.Manager#info()
   */
  ServerInfo info();

  /**
   * Stops the daemon; the caller's connection closes with it.
   *
   * @see io.jmanager.client.Manager#shutdown()
   */
  void shutdown();
}
