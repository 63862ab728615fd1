package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.common.Authkeys;
import io.jmanager.server.ManagerServer;
import picocli.CommandLine.Option;

/**
 * The daemon a demo talks to: the one at {@code --address} if given (authkey from the usual
 * places), else one started in this JVM on a free loopback port, closed with the demo.
 */
final class DemoDaemon implements AutoCloseable {
  private final ManagerServer embedded;
  final Manager manager;

  DemoDaemon(String address) {
    if (address != null) {
      embedded = null;
      manager = Manager.connect(address);
    } else {
      byte[] key = Authkeys.random();
      embedded = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).start();
      manager = Manager.builder().address(embedded.address()).authkey(key).connect();
    }
  }

  /** The {@code --address} option every demo and the bench take. */
  static final class Options {
    @Option(names = "--address", description = "use the daemon at host:port (or unix:/path/to/socket) instead of starting one")
    String address;

    /** Connects (or starts a daemon) and deletes {@code stale} names left by an earlier run. */
    DemoDaemon open(String... stale) {
      DemoDaemon d = new DemoDaemon(address);
      for (String name : stale) {
        d.manager.delete(name);
      }
      return d;
    }
  }

  /** The daemon's TCP address: the one this demo reached it at, if TCP, else the one it listens on. */
  String tcpAddress() {
    String a = manager.address();
    return a.startsWith("unix:") ? manager.info().address() : a;
  }

  /** The daemon's Unix socket as an address ({@code unix:/path}), or null if it has none here. */
  String unixAddress() {
    String unix = manager.info().unixSocket();
    return !unix.isEmpty() && java.nio.file.Files.exists(java.nio.file.Path.of(unix.substring("unix:".length()))) ? unix : null;
  }

  String describe() {
    return (embedded != null ? "daemon started in this JVM at " : "daemon at ")
        + manager.address();
  }

  @Override
  public void close() {
    manager.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
