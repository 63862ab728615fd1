package io.jmanager.server;

import io.jmanager.client.Manager;
import io.jmanager.common.Authkeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Three daemons in cluster mode in this JVM, on free loopback ports, a client of each; stopped at once. */
public final class TestCluster implements AutoCloseable {
  /** The daemons' authkey. */
  public final byte[] key = Authkeys.random();
  /** The daemons, in the order they were started. */
  public final List<ManagerServer> daemons = new ArrayList<>();
  /** A client of each daemon, in the same order. */
  public final List<Manager> clients = new ArrayList<>();
  private final String clusterName;
  private final List<String> members = new ArrayList<>();

  /** Starts the three daemons (in parallel: they join each other), each with {@code options}. */
  public TestCluster(String name, UnaryOperator<ManagerServer.Builder> options) throws Exception {
    int[] ports = freePorts(3);
    clusterName = name + "-" + ports[0];
    for (int p : ports) {
      members.add("127.0.0.1:" + p);
    }
    List<CompletableFuture<ManagerServer>> starting = new ArrayList<>();
    for (int p : ports) {
      starting.add(CompletableFuture.supplyAsync(() -> options.apply(ManagerServer.builder().bind("127.0.0.1").port(0)
          .authkey(key).unixPath("off").clusterName(clusterName).cluster("127.0.0.1", p, members)).start()));
    }
    try {
      for (CompletableFuture<ManagerServer> s : starting) {
        daemons.add(s.get(120, TimeUnit.SECONDS));
      }
      for (ManagerServer d : daemons) {
        clients.add(Manager.builder().address(d.address()).authkey(key).connect());
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /** {@return a fourth daemon, started and joined to the cluster (the caller stops it)} */
  public ManagerServer startAnother() throws IOException {
    int port = freePorts(1)[0];
    return ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).unixPath("off").clusterName(clusterName)
        .cluster("127.0.0.1", port, members).start();
  }

  /** Closes the clients and stops every member at once (nothing to hand over in a test). */
  @Override
  public void close() {
    clients.forEach(Manager::close);
    daemons.forEach(d -> d.clusterNode().terminate());
    daemons.forEach(ManagerServer::close);
    clients.clear();
    daemons.clear();
  }
}
