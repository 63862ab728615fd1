package io.jmanager.common;

import io.jmanager.client.ServerInfo;
import java.util.Set;

/**
 * The daemon itself as a shared object (typeid {@code manager}): the operations behind {@link
 * io.jmanager.client.Manager}'s {@code exists}, {@code delete}, {@code names}, {@code info} and
 * {@code shutdown}. Bound once per connection, over the same wire as every other object.
 */
public interface ManagerService {
  String TYPEID = "manager";

  boolean exists(String name);

  void delete(String name);

  Set<String> names();

  ServerInfo info();

  void shutdown();
}
