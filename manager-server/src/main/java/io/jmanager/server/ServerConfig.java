package io.jmanager.server;

import io.jmanager.common.Authkeys;
import io.jmanager.server.journal.Journal;
import io.jmanager.server.journal.JournalSettings;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.Frames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The daemon's settings, from {@code config/manager.properties} (every key documented there) and
 * the builder. Immutable once the server starts.
 */
public final class ServerConfig {
  static final Set<String> KEYS =
      Set.of("bind", "port", "authkey.file", "max.frame.bytes", "heartbeat.interval", "heartbeat.timeout",
          "call.timeout", "serialization.allow", "event.loop.threads", "handshake.timeout", "lib.dir",
          "user.threads", "unix.path", "max.connections", "max.unauthenticated", "max.depth", "heap", "max.data.bytes",
          "max.unauthenticated.per.address", "max.handshake.failures.per.address", "handshake.failure.interval",
          "journal.dir", "journal.fsync", "journal.compact.bytes", "tls.enabled", "tls.cert", "tls.key", "tls.dir",
          "python.enabled", "python.bind", "python.port", "python.shutdown", "python.idle.timeout",
          "metrics.port", "metrics.bind", "cluster.enabled", "cluster.name", "cluster.members", "cluster.port",
          "cluster.bind", "cluster.cp.members", "cluster.threads", "cluster.wait.threads");

  /** {@code unix.path} value: a socket beside the authkey, named for the TCP port. */
  static final String UNIX_AUTO = "auto";
  /** {@code unix.path} value: TCP only. */
  static final String UNIX_OFF = "off";

  String bind = "127.0.0.1";
  int port = 50000;
  Path authkeyFile = Authkeys.defaultFile();
  byte[] authkey;
  int maxFrameBytes = Frames.DEFAULT_MAX_FRAME_BYTES;
  Duration heartbeatInterval = Duration.ofSeconds(1);
  Duration heartbeatTimeout = Duration.ofSeconds(3);
  Duration callTimeout = Duration.ofSeconds(30);
  Duration handshakeTimeout = Duration.ofSeconds(5);
  ClassAllowlist allowlist = ClassAllowlist.of(java.util.List.of());
  int eventLoopThreads = Runtime.getRuntime().availableProcessors();
  final Map<String, String> userTypes = new LinkedHashMap<>();
  final Map<String, String> userInterfaces = new LinkedHashMap<>();
  Path libDir = Path.of(System.getProperty("jmanager.home", "."), "lib");
  int userThreads = 4;
  String unixPath = UNIX_AUTO;
  int maxConnections = 4096;
  int maxUnauthenticated = 64;
  int maxUnauthenticatedPerAddress = 32;
  int maxHandshakeFailuresPerAddress = 20;
  Duration handshakeFailureInterval = Duration.ofSeconds(10);
  int maxDepth = 256;
  /** The heap the launchers give the daemon's JVM ({@code -Xmx}); the daemon itself only reports it. */
  String heap = "1g";
  /** Bytes of data the daemon stores before refusing more; -1: a share of the JVM's max heap. */
  long maxDataBytes = -1;

  /** The durability journal's directory; null: no journal. */
  Path journalDir;
  Journal.Fsync journalFsync = Journal.Fsync.EVERYSEC;
  long journalCompactBytes = JournalSettings.DEFAULT_COMPACT_BYTES;

  /** The journal's settings, or null if it is off. */
  JournalSettings journal() {
    return journalDir == null ? null : new JournalSettings(journalDir, journalFsync, journalCompactBytes);
  }

  /** TLS on TCP connections (never on the Unix socket). */
  boolean tlsEnabled;
  /** PEM certificate chain and PKCS#8 key; both null: a generated certificate in {@link #tlsDir()}. */
  Path tlsCert;
  Path tlsKey;
  /** Where a generated certificate is kept; null: the authkey file's directory. */
  Path tlsDirectory;

  /** The Python gateway: CPython's {@code multiprocessing.managers} protocol on a port of its own. */
  boolean pythonEnabled;
  String pythonBind = "127.0.0.1";
  int pythonPort = 50001;
  /** Whether a Python client's {@code shutdown()} stops the daemon. */
  boolean pythonShutdown;
  /** How long an object a Python client made anonymously (an iterator) lives unused before it is freed. */
  Duration pythonIdleTimeout = Duration.ofMinutes(5);
  /** Prometheus metrics and the dashboard over HTTP: the port, or -1 for off (the default). */
  int metricsPort = -1;
  String metricsBind = "127.0.0.1";
  /** Cluster mode: the daemon embeds a Hazelcast member and keeps its objects' state there. */
  boolean clusterEnabled;
  String clusterName = "jmanager";
  /** The members to join, host:port each; empty: this daemon's own address only. */
  List<String> clusterMembers = List.of();
  int clusterPort = 5701;
  String clusterBind = "127.0.0.1";
  /** Members that form the CP subsystem (locks, semaphores, counters); 0: its unsafe mode. */
  int clusterCpMembers = 3;
  /** Threads serving cluster objects' calls (each waits for Hazelcast's answer); one session's calls run in order. */
  int clusterThreads = 32;
  /** Threads waiting for locks and semaphores held through other daemons (one per contended object). */
  int clusterWaitThreads = 64;

  /** {@code max.data.bytes=auto}: this share of the JVM's max heap. */
  static final double AUTO_DATA_SHARE = 0.6;

  /** Reads a properties file; unknown keys are an error, so a typo never passes silently. */
  static ServerConfig load(Path file) {
    ServerConfig c = new ServerConfig();
    c.apply(file);
    return c;
  }

  /** Sets every key {@code file} names (the others keep their values); bad keys name the file. */
  void apply(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException) {
        throw new IllegalArgumentException("config file " + file.toAbsolutePath() + " not found", e);
      }
      throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
    }
    for (String key : p.stringPropertyNames()) {
      String v = p.getProperty(key).trim();
      try {
        set(key, v);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + ": " + key + "=" + v + ": " + e.getMessage(), e);
      }
    }
  }

  void set(String key, String v) {
    if (key.startsWith("types.") && key.endsWith(".interface")) {
      userInterfaces.put(key.substring("types.".length(), key.length() - ".interface".length()), v);
      return;
    }
    if (key.startsWith("types.")) {
      userTypes.put(key.substring("types.".length()), v);
      return;
    }
    switch (key) {
      case "bind" -> bind = v;
      case "port" -> port = Integer.parseInt(v);
      case "authkey.file" -> authkeyFile = Path.of(v.replaceFirst("^~", System.getProperty("user.home")));
      case "max.frame.bytes" -> maxFrameBytes = Integer.parseInt(v);
      case "heartbeat.interval" -> heartbeatInterval = duration(v);
      case "heartbeat.timeout" -> heartbeatTimeout = duration(v);
      case "call.timeout" -> callTimeout = duration(v);
      case "handshake.timeout" -> handshakeTimeout = duration(v);
      case "serialization.allow" -> allowlist = ClassAllowlist.parse(v);
      case "event.loop.threads" -> eventLoopThreads = Integer.parseInt(v);
      case "lib.dir" -> libDir = Path.of(v.replaceFirst("^~", System.getProperty("user.home")));
      case "user.threads" -> userThreads = Integer.parseInt(v);
      case "unix.path" -> unixPath = v.isEmpty() ? UNIX_OFF : v;
      case "max.connections" -> maxConnections = Integer.parseInt(v);
      case "max.unauthenticated" -> maxUnauthenticated = Integer.parseInt(v);
      case "max.depth" -> maxDepth = Integer.parseInt(v);
      case "heap" -> {
        bytes(v); // validated here, applied by the launcher as -Xmx
        heap = v;
      }
      case "max.data.bytes" -> maxDataBytes = v.equals("auto") ? -1 : bytes(v);
      case "max.unauthenticated.per.address" -> maxUnauthenticatedPerAddress = Integer.parseInt(v);
      case "max.handshake.failures.per.address" -> maxHandshakeFailuresPerAddress = Integer.parseInt(v);
      case "handshake.failure.interval" -> handshakeFailureInterval = duration(v);
      case "journal.dir" -> journalDir = v.isEmpty() ? null : Path.of(v.replaceFirst("^~", System.getProperty("user.home")));
      case "journal.fsync" -> journalFsync = Journal.Fsync.parse(v);
      case "journal.compact.bytes" -> journalCompactBytes = bytes(v);
      case "tls.enabled" -> tlsEnabled = bool(v);
      case "tls.cert" -> tlsCert = v.isEmpty() ? null : path(v);
      case "tls.key" -> tlsKey = v.isEmpty() ? null : path(v);
      case "tls.dir" -> tlsDirectory = v.isEmpty() || v.equals("auto") ? null : path(v);
      case "python.enabled" -> pythonEnabled = bool(v);
      case "python.bind" -> pythonBind = v;
      case "python.port" -> pythonPort = Integer.parseInt(v);
      case "python.shutdown" -> pythonShutdown = bool(v);
      case "python.idle.timeout" -> pythonIdleTimeout = duration(v);
      case "metrics.port" -> metricsPort = v.isEmpty() || v.equals("off") ? -1 : port(v);
      case "metrics.bind" -> metricsBind = v;
      case "cluster.enabled" -> clusterEnabled = bool(v);
      case "cluster.name" -> clusterName = v;
      case "cluster.members" -> clusterMembers = v.isBlank() ? List.of()
          : java.util.Arrays.stream(v.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
      case "cluster.port" -> clusterPort = port(v);
      case "cluster.bind" -> clusterBind = v;
      case "cluster.cp.members" -> clusterCpMembers = Integer.parseInt(v);
      case "cluster.threads" -> clusterThreads = Integer.parseInt(v);
      case "cluster.wait.threads" -> clusterWaitThreads = Integer.parseInt(v);
      default -> throw new IllegalArgumentException("unknown key (known: " + KEYS + ", types.<typeid>)");
    }
  }

  /** The cluster settings of {@code cluster.*}. */
  io.jmanager.server.cluster.ClusterSettings clusterSettings() {
    return new io.jmanager.server.cluster.ClusterSettings(
        clusterName, clusterMembers, clusterBind, clusterPort, clusterCpMembers, clusterThreads, clusterWaitThreads);
  }

  /** A port number 0-65535 (0: a free one). */
  static int port(String v) {
    int p = Integer.parseInt(v);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("a port is 0-65535 (0 picks a free one), not " + v);
    }
    return p;
  }

  /**
   * The Unix socket file to listen on for TCP port {@code port}, or null for none: {@code auto} is
   * {@code ~/.jmanager/jmanager-<port>.sock}, {@code off} (or empty) is none, anything else a path
   * ({@code ~} is the home directory).
   */
  Path unixSocket(int port) {
    return switch (unixPath) {
      case UNIX_OFF -> null;
      case UNIX_AUTO -> Authkeys.defaultFile().resolveSibling("jmanager-" + port + ".sock");
      default -> Path.of(unixPath.replaceFirst("^~", System.getProperty("user.home")));
    };
  }

  /** The directory of a generated TLS certificate: {@code tls.dir}, else the authkey file's. */
  Path tlsDir() {
    return tlsDirectory != null ? tlsDirectory : authkeyFile.toAbsolutePath().getParent();
  }

  private static Path path(String v) {
    return Path.of(v.replaceFirst("^~", System.getProperty("user.home")));
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not a boolean: '" + v + "' (use true or false)");
    };
  }

  /** {@code 67108864}, {@code 512k}, {@code 64m}, {@code 2g}: a size in bytes. */
  static long bytes(String v) {
    String s = v.trim().toLowerCase();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("not a size: '' (use 512m, 2g or a byte count)");
    }
    long unit = switch (s.charAt(s.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1;
    };
    try {
      long n = Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1).trim());
      if (n <= 0) {
        throw new IllegalArgumentException("a size must be positive, got '" + v + "'");
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a size: '" + v + "' (use 512m, 2g or a byte count)");
    }
  }

  /** The data budget in bytes: {@code max.data.bytes}, or its share of {@code maxHeapBytes}. */
  long dataBudget(long maxHeapBytes) {
    return maxDataBytes > 0 ? maxDataBytes : (long) (maxHeapBytes * AUTO_DATA_SHARE);
  }

  /** {@code 500ms}, {@code 3s}, {@code 2m}, or an ISO-8601 duration such as {@code PT3S}. */
  static Duration duration(String v) {
    String s = v.trim().toLowerCase();
    if (s.matches("\\d+")) {
      throw new IllegalArgumentException("'" + v + "' has no unit: durations need one (500ms, 3s, 2m, 1h)");
    }
    if (s.startsWith("pt")) {
      return Duration.parse(v.trim());
    }
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
    }
    long n;
    try {
      n = Long.parseLong(s.substring(0, s.length() - 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: '" + v + "' (use 500ms, 3s, 2m, 1h)");
    }
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("not a duration: '" + v + "' (use 500ms, 3s, 2m)");
    };
  }

  void validate() {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("max.frame.bytes must be at least 1024, got " + maxFrameBytes);
    }
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "heartbeat.timeout (" + heartbeatTimeout + ") must exceed heartbeat.interval (" + heartbeatInterval + ")");
    }
    if (userThreads < 1) {
      throw new IllegalArgumentException("user.threads must be at least 1");
    }
    if (maxConnections < 1 || maxUnauthenticated < 1) {
      throw new IllegalArgumentException(
          "max.connections and max.unauthenticated must be at least 1, got " + maxConnections + " and " + maxUnauthenticated);
    }
    if (maxDepth < 2) {
      throw new IllegalArgumentException("max.depth must be at least 2, got " + maxDepth);
    }
    if (maxUnauthenticatedPerAddress < 1) {
      throw new IllegalArgumentException("max.unauthenticated.per.address must be at least 1, got " + maxUnauthenticatedPerAddress);
    }
    if (maxHandshakeFailuresPerAddress < 0) {
      throw new IllegalArgumentException(
          "max.handshake.failures.per.address must be 0 (no limit) or more, got " + maxHandshakeFailuresPerAddress);
    }
    if (handshakeFailureInterval.toMillis() < 1) {
      throw new IllegalArgumentException("handshake.failure.interval must be at least 1ms, got " + handshakeFailureInterval);
    }
    if (journalCompactBytes < 1024) {
      throw new IllegalArgumentException("journal.compact.bytes must be at least 1k, got " + journalCompactBytes);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("tls.cert and tls.key go together: set both, or neither for a generated certificate");
    }
    if (eventLoopThreads < 1) {
      throw new IllegalArgumentException("event.loop.threads must be at least 1");
    }
    if (clusterEnabled) {
      if (journalDir != null) {
        throw new IllegalArgumentException("cluster mode keeps objects in the cluster (backups on other members):"
            + " journal.dir is for a single daemon; leave it empty with cluster.enabled");
      }
      if (clusterCpMembers != 0 && (clusterCpMembers < 3 || clusterCpMembers > 7)) {
        throw new IllegalArgumentException("cluster.cp.members must be 3 to 7 (the CP subsystem's Raft groups need"
            + " at least 3 members), or 0 for its unsafe mode; got " + clusterCpMembers);
      }
      if (clusterThreads < 1 || clusterWaitThreads < 1) {
        throw new IllegalArgumentException("cluster.threads and cluster.wait.threads must be at least 1, got "
            + clusterThreads + " and " + clusterWaitThreads);
      }
    }
  }
}
