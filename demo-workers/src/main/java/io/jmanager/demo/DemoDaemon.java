package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.common.Authkeys;
import io.jmanager.server.ManagerServer;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/**
 * The daemon a demo talks to: the one at {@code --address} if given (authkey from the usual
 * places), else one started in this JVM on a free loopback port, closed with the demo. Demos with
 * a CPython side also reach its Python gateway: the embedded daemon starts one on a free loopback
 * port; a daemon at {@code --address} must run one ({@code python.enabled=true}) on the port
 * {@code --python-port} says.
 */
final class DemoDaemon implements AutoCloseable {
  private final ManagerServer embedded;
  private final byte[] embeddedKey;
  private final InetSocketAddress pythonGateway; // null: not asked for
  final Manager manager;

  /**
   * @param address the daemon's address, or null to start one in this JVM
   * @param pythonPort the Python gateway's port at {@code address}, or -1 for no gateway
   */
  private DemoDaemon(String address, int pythonPort) {
    if (address != null) {
      embedded = null;
      embeddedKey = null;
      manager = Manager.connect(address);
      pythonGateway = pythonPort < 0 ? null : new InetSocketAddress(hostOf(tcpAddress()), pythonPort);
    } else {
      embeddedKey = Authkeys.random();
      ManagerServer.Builder b = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(embeddedKey);
      embedded = (pythonPort < 0 ? b : b.python("127.0.0.1", 0)).start();
      manager = Manager.builder().address(embedded.address()).authkey(embeddedKey).connect();
      pythonGateway = embedded.pythonAddress().orElse(null);
    }
  }

  /** The {@code --python-port} option of the commands that also use the daemon's Python gateway. */
  static final class PythonOptions {
    @Option(names = "--python-port", defaultValue = "50001",
        description = "With --address, the port of that daemon's Python gateway (its config key "
            + "python.port); the default is ${DEFAULT-VALUE}.")
    int port;
  }

  /** The {@code --address} option every demo and the bench take. */
  static final class Options {
    @Option(names = "--address",
        description = "The daemon to use instead of starting one: host:port, "
            + "unix:/path/to/socket, or a comma-separated list of these tried in order; the "
            + "authkey comes from JMANAGER_AUTHKEY, else from ~/.jmanager/authkey.")
    String address;

    /** Connects (or starts a daemon) and deletes {@code stale} names left by an earlier run. */
    DemoDaemon open(String... stale) {
      return deleted(new DemoDaemon(address, -1), stale);
    }

    /** As {@link #open}, for a demo that reaches the daemon's Python gateway too. */
    DemoDaemon openWithPython(PythonOptions python, String... stale) {
      if (python.port < 1 || python.port > 65535) {
        throw new IllegalArgumentException("--python-port must be a TCP port (1-65535), not " + python.port);
      }
      return deleted(new DemoDaemon(address, python.port), stale);
    }

    private static DemoDaemon deleted(DemoDaemon d, String... stale) {
      for (String name : stale) {
        d.manager.delete(name);
      }
      return d;
    }
  }

  /**
   * Where CPython clients reach the daemon's Python gateway.
   *
   * @throws IllegalStateException if this daemon was opened without it
   */
  InetSocketAddress pythonGateway() {
    if (pythonGateway == null) {
      throw new IllegalStateException("this demo's daemon was opened without its Python gateway");
    }
    return pythonGateway;
  }

  /** The authkey this demo authenticated with, for clients it starts that are not Java workers. */
  byte[] authkey() {
    return embeddedKey != null ? embeddedKey.clone() : Authkeys.fromEnvironmentOrHome(); // as Manager.connect found it
  }

  /** The host of a {@code host:port} address ({@code [::1]:50000} gives {@code ::1}). */
  static String hostOf(String hostPort) {
    String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
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
