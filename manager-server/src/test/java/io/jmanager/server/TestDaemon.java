package io.jmanager.server;

import io.jmanager.client.Manager;
import io.jmanager.client.ManagerBuilder;
import io.jmanager.common.Authkeys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real daemon on 127.0.0.1, an ephemeral port and a fresh key; closes its managers and itself. */
public final class TestDaemon implements AutoCloseable {
  public final byte[] authkey = Authkeys.random();
  public final ManagerServer server;
  private final List<Manager> managers = new ArrayList<>();

  public TestDaemon() {
    this(b -> b);
  }

  public TestDaemon(UnaryOperator<ManagerServer.Builder> options) {
    server = options.apply(ManagerServer.builder().bind("127.0.0.1").port(0).authkey(authkey)).start();
  }

  public synchronized Manager connect() {
    return connect(b -> b);
  }

  /** A client with {@code options} on top of this daemon's address and key; closed with the daemon. */
  public synchronized Manager connect(UnaryOperator<ManagerBuilder> options) {
    Manager m = options.apply(Manager.builder().address(server.address()).authkey(authkey)).connect();
    managers.add(m);
    return m;
  }

  /** A client that trusts this daemon's TLS certificate by its fingerprint. */
  public Manager connectTls() {
    return connect(b -> b.tlsFingerprint(server.tlsFingerprint().orElseThrow()));
  }

  public String address() {
    return server.addressString();
  }

  @Override
  public synchronized void close() {
    managers.forEach(Manager::close);
    server.close();
  }
}
