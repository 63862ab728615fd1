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
  public volatile ManagerServer server;
  private final UnaryOperator<ManagerServer.Builder> options;
  private final int port;
  private final List<Manager> managers = new ArrayList<>();

  public TestDaemon() {
    this(b -> b);
  }

  public TestDaemon(UnaryOperator<ManagerServer.Builder> options) {
    this.options = options;
    server = options.apply(ManagerServer.builder().bind("127.0.0.1").port(0).authkey(authkey)).start();
    port = server.address().getPort();
  }

  /** Stops the daemon (its clients see their connections drop) and starts a new one on the same port. */
  public void restart() {
    stop();
    start();
  }

  /** Stops the daemon; its objects are gone. */
  public void stop() {
    server.close();
  }

  /** Starts a daemon again, on the same port with the same key and options, after {@link #stop}. */
  public void start() {
    start(authkey);
  }

  /** As {@link #start()}, with another authkey. */
  public void start(byte[] key) {
    server = options.apply(ManagerServer.builder().bind("127.0.0.1").port(0).authkey(authkey))
        .port(port).authkey(key).start();
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
