package io.jmanager.server;

import io.jmanager.client.ServerInfo;
import io.jmanager.common.ManagerService;
import java.util.Set;

/** The daemon's own operations, served as object 0 over the same dispatch as every object. */
public final class ManagerServiceImpl implements ManagerService {
  private final ManagerServer server;

  ManagerServiceImpl(ManagerServer server) {
    this.server = server;
  }

  @Override
  public boolean exists(String name) {
    return server.registry().existsAnywhere(name);
  }

  @Override
  public void delete(String name) {
    server.delete(name);
  }

  @Override
  public Set<String> names() {
    return server.registry().names();
  }

  @Override
  public ServerInfo info() {
    return server.info();
  }

  @Override
  public void shutdown() {
    server.closeAsync();
  }
}
