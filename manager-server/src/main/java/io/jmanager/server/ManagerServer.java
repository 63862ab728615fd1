package io.jmanager.server;

import io.jmanager.client.ServerInfo;
import io.jmanager.server.journal.Journal;
import io.jmanager.common.Authkeys;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.server.netty.NettyTransport;
import io.jmanager.server.cluster.ClusterNode;
import io.jmanager.server.metrics.DaemonMetrics;
import io.jmanager.server.metrics.MetricsServer;
import io.jmanager.server.tls.DaemonTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager daemon in this JVM: a Netty server, one {@link Session} per connection, an object
 * registry and the type table. Start one with {@link #builder()}; {@link #close()} stops it and
 * frees the port. Thread-safe.
 *
 * <pre>{@code
 * ManagerServer server = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).start();
 * Manager m = Manager.builder().address(server.address()).authkey(key).connect();
 * }</pre>
 */
public final class ManagerServer implements AutoCloseable {
  static {
    LoggingDefaults.apply(); // before any Netty class initializes and logs
  }

  private static final Logger log = LoggerFactory.getLogger(ManagerServer.class);

  /** This daemon's jmanager version, as {@link ServerInfo#version()} reports it. */
  public static final String VERSION = "0.1.0";

  private final ServerConfig config;
  private final byte[] authkey;
  private final ObjectRegistry registry;
  private final Journal journal; // null: off
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private final ConnectionLimits limits;
  private final DataBudget budget;
  private final HandshakeFailures failures;
  private final long daemonId = new java.security.SecureRandom().nextLong();
  private final LongAdder callsServed = new LongAdder();
  private final Instant started = Instant.now();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final java.util.concurrent.ThreadPoolExecutor userPool;
  private final ClassLoader userLoader;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final Channel unixChannel; // null: TCP only
  private final PythonGateway python; // null: python.enabled=false
  private final Path unixSocket;
  private final Thread removeSocketAtExit; // null without a Unix socket
  private final DaemonTls tls; // null: TLS off
  private final Metering metering; // null: metrics.port off
  private final ClusterNode cluster; // null: not in cluster mode
  private final MetricsServer metricsServer; // null: metrics.port off

  private ManagerServer(ServerConfig config, byte[] authkey, Types types, ClassLoader userLoader) {
    this.config = config;
    this.authkey = authkey;
    this.userLoader = userLoader;
    this.userPool = new java.util.concurrent.ThreadPoolExecutor(
        config.userThreads, config.userThreads, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
        new io.netty.util.concurrent.DefaultThreadFactory("jmanager-user", true));
    this.userPool.allowCoreThreadTimeOut(true);
    this.cluster = config.clusterEnabled
        ? ClusterNode.start(config.clusterSettings(), this::newKryo, config.maxFrameBytes, config.maxDepth) : null;
    this.registry = cluster == null ? new ObjectRegistry(types, new ManagerServiceImpl(this), userPool)
        : new ObjectRegistry(Types.cluster(cluster), new ManagerServiceImpl(this), userPool, cluster.objects());
    if (cluster != null) {
      cluster.objects().onRemoved(this::forget);
    }
    try {
      this.journal = config.journal() == null ? null : Journal.open(config.journal(), this::newKryo,
          config.maxFrameBytes, config.maxDepth, registry);
    } catch (RuntimeException e) {
      userPool.shutdownNow();
      throw e;
    }
    if (journal != null) {
      registry.attach(journal);
    }
    long interval = config.handshakeFailureInterval.toNanos();
    this.failures = new HandshakeFailures(config.maxHandshakeFailuresPerAddress, interval, TimeUnit.NANOSECONDS, System::nanoTime);
    this.limits = new ConnectionLimits(config, failures);
    this.budget = new DataBudget(config.dataBudget(Runtime.getRuntime().maxMemory()));
    this.metering = config.metricsPort < 0 ? null : new Metering(new DaemonMetrics(new MetricsView(this)));
    this.boss = NettyTransport.newGroup(1, "jmanager-accept");
    boss.scheduleAtFixedRate(failures::flush, interval, interval, TimeUnit.NANOSECONDS);
    this.workers = NettyTransport.newGroup(config.eventLoopThreads, "jmanager-io");
    try {
      this.tls = config.tlsEnabled
          ? DaemonTls.load(config.tlsCert, config.tlsKey, config.tlsDir(), config.handshakeTimeout)
          : null;
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
    try {
      this.serverChannel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NettyTransport.serverChannel())
              .handler(new AcceptGate(failures, limits))
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              // one socket read (up to 64 KiB of frames) per connection per turn of the event loop:
              // a client pipelining thousands of calls cannot hold the loop for all of them at once
              .childOption(ChannelOption.RCVBUF_ALLOCATOR, fairReads())
              .childHandler(new ServerInitializer(this, tls))
              .bind(config.bind, config.port)
              .syncUninterruptibly()
              .channel();
    } catch (Exception e) { // Netty rethrows the bind's BindException as it is, unchecked or not
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      userPool.shutdownNow();
      if (journal != null) {
        journal.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      String inUse = String.valueOf(e.getMessage()).contains("in use")
          ? " (another daemon may run there: `bin/jmanager status` tells; `--port 0` picks a free port)" : "";
      throw new IllegalStateException("cannot listen on " + config.bind + ":" + config.port + ": " + e.getMessage() + inUse, e);
    }
    Path socket = config.unixSocket(address().getPort());
    if (socket != null && config.unixPath.equals(ServerConfig.UNIX_AUTO)) {
      UnixSockets.sweepStale(socket.toAbsolutePath().getParent()); // left by killed daemons
    }
    this.unixChannel = socket == null ? null : bindUnix(socket, config.unixPath.equals(ServerConfig.UNIX_AUTO));
    this.unixSocket = unixChannel == null ? null : socket;
    this.removeSocketAtExit = unixSocket == null ? null : new Thread(() -> UnixSockets.delete(unixSocket), "jmanager-socket-cleanup");
    if (removeSocketAtExit != null) {
      Runtime.getRuntime().addShutdownHook(removeSocketAtExit); // an embedding JVM may exit without close()
    }
    MetricsServer http = null;
    try {
      this.python = config.pythonEnabled ? new PythonGateway(this, boss, workers) : null;
      http = metering == null ? null
          : new MetricsServer(metering.metrics(), config.metricsBind, config.metricsPort, authkey);
    } catch (RuntimeException e) {
      close();
      throw e;
    } finally {
      this.metricsServer = http;
    }
    if (metricsServer != null) {
      log.info("metrics at {}metrics, dashboard at {}{}", metricsServer.baseUrl(), metricsServer.baseUrl(),
          metricsServer.tokenRequired() ? " (with its token: `bin/jmanager status` prints it)" : "");
    }
    if (cluster != null) {
      cluster.publish(() -> "daemon " + addressString() + ", " + sessions.size() + " session(s)"
          + sessions.values().stream().map(s -> " pid " + s.pid() + " at " + s.remoteAddress())
              .collect(java.util.stream.Collectors.joining(",", sessions.isEmpty() ? "" : ":", "")));
    }
    log.debug("bound {} ({}){}", address(), NettyTransport.name(), unixSocket == null ? "" : " and " + unixSocket);
    if (journal != null) {
      journal.compactSoon(); // the replayed state becomes one snapshot, in the background
    }
  }

  /** A Kryo as the wire's, for the journal: the same allowlist and user classes. */
  private com.esotericsoftware.kryo.Kryo newKryo() {
    var kryo = io.jmanager.wire.WireKryo.create(
        config.allowlist, io.jmanager.common.BuiltinTypes.API_VALUE_TYPES, io.jmanager.wire.WireKryo.RefResolver.IDENTITY);
    kryo.setClassLoader(userLoader);
    return kryo;
  }

  /** The durability journal, or null if {@code journal.dir} is not set. */
  Journal journal() {
    return journal;
  }

  /** Netty's adaptive read buffers, but one read per connection per event-loop turn (not 16). */
  private static io.netty.channel.RecvByteBufAllocator fairReads() {
    return new io.netty.channel.AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1);
  }

  /**
   * Listens on the Unix socket {@code path} too, the file created mode 0600 in a directory that is
   * created 0700 if missing. A stale socket file (no daemon answers on it) is replaced. When {@code
   * optional} (the {@code auto} default), a path that cannot be used is logged and skipped;
   * otherwise it is an error.
   */
  private Channel bindUnix(Path path, boolean optional) {
    try {
      UnixSockets.prepare(path);
      Channel ch =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NettyTransport.serverDomainChannel())
              .handler(new AcceptGate(failures, limits))
              .childOption(ChannelOption.RCVBUF_ALLOCATOR, fairReads())
              .childHandler(new ServerInitializer(this, null)) // the socket file is the owner's: no TLS
              .bind(NettyTransport.domainAddress(path))
              .syncUninterruptibly()
              .channel();
      UnixSockets.ownerOnly(path);
      return ch;
    } catch (RuntimeException e) {
      if (!optional) {
        close();
        throw new IllegalStateException("cannot listen on the Unix socket " + path + ": " + e.getMessage(), e);
      }
      log.warn("not listening on the Unix socket {}: {}", path, e.getMessage());
      return null;
    }
  }

  /** {@return a builder with the defaults of {@code config/manager.properties}} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the TCP address the daemon listens on (the real port when started with port 0)} */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * {@return {@code host:port} of {@link #address()}, as clients pass it to {@code
   * Manager.connect}}
   */
  public String addressString() {
    return address().getHostString() + ":" + address().getPort();
  }

  /**
   * {@return the SHA-256 fingerprint of the certificate the daemon presents on TCP ({@code
   * AB:CD:...}, as clients pin it); empty unless {@code tls.enabled}}
   */
  public Optional<String> tlsFingerprint() {
    return Optional.ofNullable(tls).map(DaemonTls::fingerprint);
  }

  /**
   * {@return the TLS engine ({@code BoringSSL} or {@code JDK}); empty unless {@code tls.enabled}}
   */
  public Optional<String> tlsEngine() {
    return Optional.ofNullable(tls).map(DaemonTls::engine);
  }

  /** This daemon's cluster member, or null: not in cluster mode. */
  ClusterNode clusterNode() {
    return cluster;
  }

  /** The threads serving calls in cluster mode, or null: not in cluster mode. */
  java.util.concurrent.Executor clusterCalls() {
    return cluster == null ? null : cluster.calls();
  }

  /** Another daemon deleted {@code name} from the cluster: drop it here, and the waits parked on it. */
  private void forget(String name) {
    ObjectRegistry.Entry e = registry.forget(name);
    if (e != null) {
      sessions.values().forEach(s -> s.abandonWaitsOn(e.id, e.describe()));
    }
  }

  /** The connected sessions, live. */
  java.util.Collection<Session> sessions() {
    return sessions.values();
  }

  /** The call metering, or null if {@code metrics.port} is off. */
  Metering metering() {
    return metering;
  }

  /**
   * {@return where metrics and the dashboard are served (the real port when started with port 0);
   * empty unless {@code metrics.port} is set}
   */
  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metricsServer).map(MetricsServer::address);
  }

  /**
   * {@return the dashboard's address, with the token in it when the listener is not on loopback;
   * empty unless {@code metrics.port} is set}
   */
  public Optional<String> dashboardUrl() {
    return Optional.ofNullable(metricsServer).map(MetricsServer::url);
  }

  /** The Python gateway, or null if {@code python.enabled} is off. */
  PythonGateway python() {
    return python;
  }

  /**
   * {@return where the Python gateway listens (the real port when started with port 0); empty
   * unless {@code python.enabled}}
   */
  public Optional<InetSocketAddress> pythonAddress() {
    return Optional.ofNullable(python).map(PythonGateway::address);
  }

  /**
   * {@return the PEM file of the certificate the daemon presents on TCP; empty unless {@code
   * tls.enabled}}
   */
  public Optional<Path> tlsCertificate() {
    return Optional.ofNullable(tls).map(DaemonTls::certFile);
  }

  /**
   * {@return the Unix socket file the daemon also listens on ({@code unix.path}); empty if none}
   */
  public Optional<Path> unixSocket() {
    return Optional.ofNullable(unixSocket);
  }

  /** Random per start: tells clients whether two connections reach the same daemon. */
  long daemonId() {
    return daemonId;
  }

  /** The Unix socket path announced to clients in the handshake; empty if there is none. */
  String unixPathString() {
    return unixSocket == null ? "" : unixSocket.toString();
  }

  /**
   * {@return a copy of the authkey clients must prove they hold} Pass it to workers in this JVM's
   * tests.
   */
  public byte[] authkey() {
    return authkey.clone();
  }

  ServerConfig config() {
    return config;
  }

  /** The loader Kryo resolves user classes with: the daemon's own plus {@code lib.dir}. */
  ClassLoader userLoader() {
    return userLoader;
  }

  ConnectionLimits limits() {
    return limits;
  }

  DataBudget budget() {
    return budget;
  }

  HandshakeFailures failures() {
    return failures;
  }

  ObjectRegistry registry() {
    return registry;
  }

  void countCall() {
    callsServed.increment();
  }

  Session openSession(Channel channel, long pid) {
    String from = channel.parent() == unixChannel && unixChannel != null ? "unix:" + unixSocket : String.valueOf(channel.remoteAddress());
    Session s = new Session(sessionIds.incrementAndGet(), from, pid, new Deliveries(channel));
    sessions.put(s.id(), s);
    channels.put(s.id(), channel);
    return s;
  }

  /** Deletes {@code name}; calls parked on it fail with IllegalStateException. */
  void delete(String name) {
    ObjectRegistry.Entry e = registry.delete(name);
    if (e != null) {
      sessions.values().forEach(s -> s.abandonWaitsOn(e.id, e.describe()));
    }
  }

  /**
   * The session's connection closed (on its event loop): drop its waits, give back the items its
   * client never confirmed (after the waits, so none goes to this session's own takers), let every
   * object release what it held; only then does the session leave {@link #info()}, so a status
   * that no longer lists it has nothing of it left either.
   */
  void closeSession(Session s) {
    s.abandonAll();
    s.deliveries().close();
    registry.sessionClosed(s.id());
    channels.remove(s.id());
    sessions.remove(s.id());
    log.debug("{} disconnected", s);
  }

  ServerInfo info() {
    List<ServerInfo.SessionInfo> list = new ArrayList<>();
    sessions.values().forEach(s -> list.add(s.info()));
    list.sort((a, b) -> Long.compare(a.id(), b.id()));
    return new ServerInfo(
        VERSION, addressString(), Duration.between(started, Instant.now()), registry.countByType(),
        registry.describe(), list, callsServed.sum(),
        java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount(),
        unixSocket == null ? "" : "unix:" + unixSocket, ProcessHandle.current().pid(), processCpuNanos(),
        budget.used(), budget.budget(), budget.maxHeap(), journal == null ? "" : journal.status(),
        metricsServer == null ? "" : metricsServer.url(), cluster == null ? "" : cluster.describe());
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /** Stops accepting, closes every session and frees the port. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    if (unixChannel != null) {
      unixChannel.close().awaitUninterruptibly();
      UnixSockets.delete(unixSocket);
      try {
        Runtime.getRuntime().removeShutdownHook(removeSocketAtExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway and finds the file gone
      }
    }
    if (python != null) {
      python.close();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    channels.values().forEach(Channel::close);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    userPool.shutdownNow();
    if (journal != null) {
      journal.close();
    }
    budget.close();
    if (cluster != null) {
      cluster.close();
    }
    if (metering != null) {
      metering.metrics().close();
    }
    terminated.countDown();
  }

  /** Closes the server from a thread of its own, so a call handler can ask for it. */
  void closeAsync() {
    Thread t = new Thread(this::close, "jmanager-shutdown");
    t.setDaemon(false);
    t.start();
  }

  /**
   * Blocks until {@link #close()} has finished, whichever thread called it (a client's {@code
   * shutdown()} included).
   *
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** {@return whether {@link #close()} has been called; its work may still be under way} */
  public boolean isClosed() {
    return closed.get();
  }

  /** Options for {@link ManagerServer}; defaults as in {@code config/manager.properties}. */
  public static final class Builder {
    private final ServerConfig config = new ServerConfig();
    private final Types types = Types.builtins();

    Builder() {}

    /**
     * Applies a properties file: the keys it sets override earlier calls; later calls override it.
     *
     * @param propertiesFile keys as in {@code config/manager.properties}
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read, or has an unknown key or a bad
     *     value (the message names the file and key)
     */
    public Builder config(Path propertiesFile) {
      config.apply(propertiesFile);
      return this;
    }

    /**
     * TLS 1.3 on TCP connections ({@code tls.enabled}); the Unix socket stays plain. Without {@link
     * #tlsFiles}, a self-signed certificate is made once in {@link #tlsDir} and reused.
     *
     * @param enabled whether TCP connections speak TLS (default false)
     * @return this builder
     */
    public Builder tls(boolean enabled) {
      config.tlsEnabled = enabled;
      return this;
    }

    /**
     * Serves CPython's {@code multiprocessing.managers} clients on {@code bind:port} too ({@code
     * python.enabled}, {@code python.bind}, {@code python.port}; port 0 picks a free one).
     *
     * @param bind the address to listen on, such as {@code 127.0.0.1}
     * @param port the port; 0 picks a free one, read back with {@link
     *     ManagerServer#pythonAddress()}
     * @return this builder
     */
    public Builder python(String bind, int port) {
      config.pythonEnabled = true;
      config.pythonBind = Objects.requireNonNull(bind, "bind");
      config.pythonPort = port;
      return this;
    }

    /**
     * Serves Prometheus metrics at {@code /metrics} and the live dashboard at {@code /} over HTTP on
     * {@code bind}:{@code port} ({@code metrics.bind}, {@code metrics.port}; port 0 picks a free one).
     * Off by default. Bound elsewhere than loopback, requests need the dashboard token.
     *
     * @param bind the address to listen on; loopback (the default) needs no token
     * @param port the port; 0 picks a free one, read back with {@link
     *     ManagerServer#metricsAddress()}
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is not 0 to 65535
     */
    public Builder metrics(String bind, int port) {
      config.metricsBind = Objects.requireNonNull(bind, "bind");
      config.metricsPort = ServerConfig.port(String.valueOf(port));
      return this;
    }

    /**
     * How long an iterator a Python client dropped unannounced lives on ({@code
     * python.idle.timeout}; default 5 min).
     *
     * @param timeout how long an unused anonymous object lives
     * @return this builder
     */
    public Builder pythonIdleTimeout(Duration timeout) {
      config.pythonIdleTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Whether a Python client's {@code shutdown()} stops the daemon ({@code python.shutdown};
     * default false).
     *
     * @param allowed true to let Python clients stop the daemon
     * @return this builder
     */
    public Builder pythonShutdown(boolean allowed) {
      config.pythonShutdown = allowed;
      return this;
    }

    /**
     * The certificate chain (PEM, leaf first) and its PKCS#8 PEM key ({@code tls.cert}, {@code
     * tls.key}), read at start.
     *
     * @param certFile the certificate chain
     * @param keyFile the private key
     * @return this builder
     */
    public Builder tlsFiles(Path certFile, Path keyFile) {
      config.tlsCert = Objects.requireNonNull(certFile, "certFile");
      config.tlsKey = Objects.requireNonNull(keyFile, "keyFile");
      return this;
    }

    /**
     * Where a generated certificate is kept ({@code tls.dir}; default: the authkey file's
     * directory).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder tlsDir(Path dir) {
      config.tlsDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The address to listen on for TCP ({@code bind}; default {@code 127.0.0.1}, this host only).
     *
     * @param address a host name or IP address; {@code 0.0.0.0} listens on every interface
     * @return this builder
     */
    public Builder bind(String address) {
      config.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The TCP port ({@code port}; default 50000).
     *
     * @param port 0 to 65535; 0 picks a free port, read back with {@link ManagerServer#address()}
     * @return this builder
     */
    public Builder port(int port) {
      config.port = port;
      return this;
    }

    /**
     * The authkey; without one, the daemon uses (and creates if missing) the authkey file.
     *
     * @param authkey the key clients must hold; copied
     * @return this builder
     */
    public Builder authkey(byte[] authkey) {
      config.authkey = Objects.requireNonNull(authkey, "authkey").clone();
      return this;
    }

    /**
     * The authkey file ({@code authkey.file}; default {@code ~/.jmanager/authkey}), created with a
     * random key at start if missing. Ignored if {@link #authkey(byte[])} is set.
     *
     * @param file the key file
     * @return this builder
     */
    public Builder authkeyFile(Path file) {
      config.authkeyFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * The largest frame the daemon reads or writes ({@code max.frame.bytes}; default 64 MiB): a
     * call or reply larger than this fails.
     *
     * @param bytes at least 1024
     * @return this builder
     */
    public Builder maxFrameBytes(int bytes) {
      config.maxFrameBytes = bytes;
      return this;
    }

    /**
     * Ping an idle peer every {@code interval}; close a peer silent for {@code timeout}
     * (defaults: 1 s and 3 s). Clients use the same figures to detect a dead daemon.
     *
     * @param interval time between pings of an idle connection
     * @param timeout silence after which a connection is closed; must exceed {@code interval}
     * @return this builder
     */
    public Builder heartbeat(Duration interval, Duration timeout) {
      config.heartbeatInterval = Objects.requireNonNull(interval);
      config.heartbeatTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * The call timeout clients adopt unless they set their own ({@code call.timeout};
     * default 30 s).
     *
     * @param timeout how long a client waits for an answer to a non-blocking call
     * @return this builder
     */
    public Builder callTimeout(Duration timeout) {
      config.callTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Classes the daemon accepts by name in values ({@code serialization.allow}); replaces any set
     * before. Others fail their call with {@code NotAllowedException}.
     *
     * @param classesOrPackages exact class names, or package prefixes such as {@code com.acme.*}
     * @return this builder
     */
    public Builder allow(String... classesOrPackages) {
      config.allowlist = ClassAllowlist.of(Arrays.asList(classesOrPackages));
      return this;
    }

    /**
     * Where the daemon also listens on a Unix socket: {@code "auto"} (the default: {@code
     * ~/.jmanager/jmanager-<port>.sock}, skipped with a warning if it cannot be created), {@code
     * "off"}, or a path (an error if it cannot be used).
     *
     * @param autoOffOrPath {@code auto}, {@code off} (or empty), or a socket path
     * @return this builder
     */
    public Builder unixPath(String autoOffOrPath) {
      config.unixPath = Objects.requireNonNull(autoOffOrPath, "autoOffOrPath").isEmpty() ? ServerConfig.UNIX_OFF : autoOffOrPath;
      return this;
    }

    /**
     * How many connections the daemon holds at most ({@code max.connections}; default 4096); more
     * are closed at once.
     *
     * @param connections at least 1
     * @return this builder
     */
    public Builder maxConnections(int connections) {
      config.maxConnections = connections;
      return this;
    }

    /**
     * How many connections may be unauthenticated at once; beyond that, the oldest of them is
     * closed to make room, so a flood of idle sockets cannot lock honest clients out.
     *
     * @param connections at least 1 (default 64)
     * @return this builder
     */
    public Builder maxUnauthenticated(int connections) {
      config.maxUnauthenticated = connections;
      return this;
    }

    /**
     * How many connections from one IP address may be unauthenticated at once; beyond that, that
     * address's oldest unauthenticated connection is closed (and counts as a failed handshake).
     * Unix-socket connections are bounded by {@link #maxUnauthenticated} only.
     *
     * @param connections at least 1 (default 32)
     * @return this builder
     */
    public Builder maxUnauthenticatedPerAddress(int connections) {
      config.maxUnauthenticatedPerAddress = connections;
      return this;
    }

    /**
     * Failed handshakes (wrong key, malformed, timed out, evicted) are counted per IP address in
     * windows of {@code interval} and logged once per window with counts; after {@code
     * maxPerAddress} failures in one window, new connections from that address are refused at accept
     * until the window ends. {@code maxPerAddress} 0 never refuses (failures are still counted).
     *
     * @param maxPerAddress failures that close an address out for the rest of a window (default 20)
     * @param interval the window (default 10 s)
     * @return this builder
     */
    public Builder handshakeFailures(int maxPerAddress, Duration interval) {
      config.maxHandshakeFailuresPerAddress = maxPerAddress;
      config.handshakeFailureInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * How long a new connection has to complete the handshake before it is closed ({@code
     * handshake.timeout}; default 5 s).
     *
     * @param timeout the time from accept to a finished handshake
     * @return this builder
     */
    public Builder handshakeTimeout(Duration timeout) {
      config.handshakeTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * The number of Netty event-loop threads that serve connections ({@code event.loop.threads};
     * default: the available processors).
     *
     * @param threads the thread count
     * @return this builder
     */
    public Builder eventLoopThreads(int threads) {
      config.eventLoopThreads = threads;
      return this;
    }

    /**
     * {@code max.data.bytes}: storing calls past this many bytes of data fail with {@code
     * DataLimitException}.
     *
     * @param bytes the data budget; -1 (the default) for a share of the JVM's max heap
     * @return this builder
     */
    public Builder maxDataBytes(long bytes) {
      config.maxDataBytes = bytes;
      return this;
    }

    /**
     * Turns the durability journal on: every acknowledged mutation is appended to a log in {@code
     * dir} before its reply, and replayed when a daemon starts on the same directory ({@code
     * journal.dir}, {@code journal.fsync}: {@code always} or {@code everysec}).
     *
     * @param dir the journal's directory; null turns the journal off
     * @param fsync {@code always} (before each reply) or {@code everysec} (once a second)
     * @return this builder
     * @throws IllegalArgumentException if {@code fsync} is neither
     */
    public Builder journal(Path dir, String fsync) {
      config.journalDir = dir;
      config.journalFsync = io.jmanager.server.journal.Journal.Fsync.parse(fsync);
      return this;
    }

    /**
     * The size a journal log grows to before it is compacted ({@code journal.compact.bytes}).
     *
     * @param bytes the log size that starts a compaction
     * @return this builder
     */
    public Builder journalCompactBytes(long bytes) {
      config.journalCompactBytes = bytes;
      return this;
    }

    /**
     * {@code max.depth}: values nested deeper fail their call (default 256).
     *
     * @param levels at least 2
     * @return this builder
     */
    public Builder maxDepth(int levels) {
      config.maxDepth = levels;
      return this;
    }

    /**
     * Registers a user type (Python's {@code register()}): each new name gets an instance from
     * {@code factory}; clients reach it with {@code m.proxy(typeid, name, iface)}.
     *
     * @param typeid the type's id, as clients name it
     * @param iface the interface clients bind with; its methods are the remote methods
     * @param factory makes one instance per new name, on the daemon
     * @param <T> the interface's type
     * @return this builder
     * @throws IllegalArgumentException if {@code iface} is not an interface or {@code typeid} is
     *     taken
     */
    public <T> Builder register(String typeid, Class<T> iface, Supplier<? extends T> factory) {
      types.register(typeid, iface, factory);
      return this;
    }

    /**
     * Runs the daemon in cluster mode ({@code cluster.enabled}): it embeds a Hazelcast member that
     * listens on {@code bind}:{@code port} and joins {@code members} ({@code host:port} each), and
     * keeps its objects' state in the cluster.
     *
     * @param bind the member's address ({@code cluster.bind})
     * @param port the member's port ({@code cluster.port})
     * @param members the members to join ({@code cluster.members})
     * @return this builder
     */
    public Builder cluster(String bind, int port, List<String> members) {
      config.clusterEnabled = true;
      config.clusterBind = Objects.requireNonNull(bind, "bind");
      config.clusterPort = ServerConfig.port(String.valueOf(port));
      config.clusterMembers = List.copyOf(members);
      return this;
    }

    /**
     * The cluster's name ({@code cluster.name}; default {@code jmanager}): daemons join only a
     * cluster of their own name.
     *
     * @param name the name
     * @return this builder
     */
    public Builder clusterName(String name) {
      config.clusterName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * How many members form the CP subsystem ({@code cluster.cp.members}; default 3): 3 to 7, or 0
     * for its unsafe mode.
     *
     * @param members the CP member count
     * @return this builder
     */
    public Builder clusterCpMembers(int members) {
      config.clusterCpMembers = members;
      return this;
    }

    /**
     * Starts the daemon: reads or creates the authkey, replays the journal if there is one, and
     * listens. Returns once it accepts connections.
     *
     * @return the running daemon
     * @throws IllegalArgumentException if a setting is out of range
     * @throws IllegalStateException if it cannot listen on its address (the port is taken, say)
     */
    public ManagerServer start() {
      config.validate();
      byte[] key = config.authkey != null ? config.authkey : Authkeys.loadOrCreate(config.authkeyFile);
      ClassLoader loader = UserTypes.loader(config.libDir);
      UserTypes.registerAll(types, config.userTypes, config.userInterfaces, loader);
      if (config.clusterEnabled && types.hasUserTypes()) {
        throw new IllegalArgumentException("user types (types.*, register()) are not available in cluster mode:"
            + " their state lives in one daemon's objects; see the README's section \"Cluster mode\"");
      }
      return new ManagerServer(config, key, types, loader);
    }
  }
}
