package io.jmanager.server;

import io.jmanager.client.Manager;
import io.jmanager.client.ManagerBuilder;
import io.jmanager.client.ServerInfo;
import io.jmanager.common.Authkeys;
import io.jmanager.common.Fingerprints;
import io.jmanager.common.ParentProcess;
import io.jmanager.server.metrics.MetricsServer;
import io.jmanager.server.netty.NettyTransport;
import io.jmanager.server.tls.DaemonTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/jmanager server | status | shutdown}: run the daemon, inspect it, stop it. */
@Command(
    name = "jmanager",
    mixinStandardHelpOptions = true,
    version = "jmanager " + ManagerServer.VERSION,
    description = "Runs, inspects and stops the jmanager daemon, which holds the objects that "
        + "worker JVMs share, and repairs its journal.",
    subcommands = {Main.Server.class, Main.Status.class, Main.Shutdown.class, Main.JournalCommand.class})
public final class Main {
  /**
   * Runs a command ({@code server}, {@code status}, {@code shutdown}, {@code journal}) and exits
   * the JVM with its status: 0 on success, 1 on a failure (printed as one line), 2 on bad usage.
   *
   * @param args the command and its options; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(commandLine(new Main()).execute(args));
  }

  /**
   * {@return a command line that reports failures as one clear line (the stack only with {@code
   * JMANAGER_DEBUG} set)} Repeated options are allowed, the last winning, so a launcher's defaults
   * can be overridden.
   *
   * @param command a picocli command object, such as a {@code Main}
   */
  public static CommandLine commandLine(Object command) {
    CommandLine cl = new CommandLine(command)
        .setOverwrittenOptionsAllowed(true) // the last wins: a launcher's defaults can be overridden
        .setUsageHelpWidth(100) // room for option descriptions as sentences, addresses and paths
        .setExecutionExceptionHandler((ex, cmd, parsed) -> {
          cmd.getErr().println("jmanager: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
          if (System.getenv("JMANAGER_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    withVersion(cl);
    return cl;
  }

  /** Every command's {@code -V} prints the version, subcommands' included. */
  private static void withVersion(CommandLine cl) {
    cl.getCommandSpec().version("jmanager " + ManagerServer.VERSION);
    cl.getSubcommands().values().forEach(Main::withVersion);
  }

  /** Options every command shares. */
  static class Common {
    @Option(names = "--config", description = "The properties file to read. By default, config/manager.properties of the installation is read if it exists.")
    Path config;

    /** The explicit --config, else the installation's config file if it exists, else null. */
    Path configFile() {
      if (config != null) {
        return config;
      }
      Path home = Path.of(System.getProperty("jmanager.home", "."));
      Path file = home.resolve("config").resolve("manager.properties");
      return Files.exists(file) ? file : null;
    }

    ServerConfig load() {
      Path file = configFile();
      return file == null ? new ServerConfig() : ServerConfig.load(file);
    }
  }

  @Command(name = "server", mixinStandardHelpOptions = true, description = "Runs the daemon until it gets SIGTERM or a shutdown command.")
  static final class Server extends Common implements Callable<Integer> {
    @Option(names = "--port", description = "The TCP port to listen on; it overrides the config key port, and 0 picks a free port.")
    Integer port;

    @Option(names = "--bind", description = "The address to listen on; it overrides the config key bind.")
    String bind;

    @Option(names = "--authkey-file", description = "The authkey file; it overrides the config key authkey.file.")
    Path authkeyFile;

    @Option(names = "--heap", paramLabel = "SIZE",
        description = "The daemon's heap, such as 512m or 4g; it overrides the config key heap, and the launcher (bin/jmanager, ManagerProcess) applies it as -Xmx.")
    String heap;

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "Serves Prometheus metrics and the dashboard over HTTP on this port; it overrides the config key"
            + " metrics.port, and 0 picks a free port.")
    Integer metricsPort;

    @Option(names = "--cluster",
        description = "Runs the daemon in cluster mode, as the config key cluster.enabled does: it joins the daemons of"
            + " cluster.members, and its objects live in the cluster.")
    boolean cluster;

    @Option(names = "--cluster-port", paramLabel = "PORT",
        description = "The port this daemon's cluster member listens on for the other daemons; it overrides the"
            + " config key cluster.port.")
    Integer clusterPort;

    @Option(names = "--cluster-members", paramLabel = "HOST:PORT,...",
        description = "The cluster members to join, comma-separated; it overrides the config key cluster.members.")
    String clusterMembers;

    @Option(names = "--exit-with-parent", hidden = true,
        description = "Stops the daemon when its parent process (JMANAGER_PARENT) is gone.")
    boolean exitWithParent;

    @Override
    public Integer call() throws Exception {
      ServerConfig file = load();
      ManagerServer.Builder b = ManagerServer.builder();
      if (configFile() != null) {
        b.config(configFile());
      }
      if (port != null) {
        b.port(port);
      }
      if (metricsPort != null) {
        b.metrics(file.metricsBind, metricsPort);
      }
      if (cluster || clusterPort != null || clusterMembers != null) {
        b.cluster(file.clusterBind, clusterPort != null ? clusterPort : file.clusterPort, clusterMembers == null
            ? file.clusterMembers
            : java.util.Arrays.stream(clusterMembers.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList());
      }
      if (bind != null) {
        b.bind(bind);
      }
      Path keyFile = authkeyFile != null ? authkeyFile : file.authkeyFile;
      b.authkeyFile(keyFile);
      byte[] envKey = Authkeys.fromEnvironment();
      if (envKey != null) {
        b.authkey(envKey);
      }
      checkHeap(heap != null ? heap : file.heap);
      ManagerServer server = b.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jmanager-sigterm"));
      System.out.println(
          "jmanager daemon listening on " + server.addressString() + " (" + NettyTransport.name() + "), authkey "
              + (envKey != null ? "from " + Authkeys.AUTHKEY_ENV : "file " + keyFile.toAbsolutePath()));
      server.unixSocket().ifPresent(p -> System.out.println("jmanager daemon also listening on unix:" + p));
      server.pythonAddress().ifPresent(a -> System.out.println("jmanager daemon Python gateway on "
          + a.getAddress().getHostAddress() + ":" + a.getPort() + " (CPython multiprocessing.managers clients)"));
      server.metricsAddress().ifPresent(a -> System.out.println("jmanager daemon metrics and dashboard on http://"
          + a.getAddress().getHostAddress() + ":" + a.getPort() + "/"
          + (MetricsServer.loopback(a.getAddress().getHostAddress()) ? "" : " (with its token: `bin/jmanager status` prints it)")));
      server.tlsFingerprint().ifPresent(f -> System.out.println(
          "jmanager daemon TLS on TCP (" + server.tlsEngine().orElseThrow() + "), certificate "
              + server.tlsCertificate().orElseThrow() + ", SHA-256 fingerprint " + f));
      // a daemon run as a service says where it is; a child daemon (ManagerProcess) belongs to its parent
      Path runFile = exitWithParent ? null : RunFile.of(keyFile);
      if (runFile != null) {
        RunFile.write(runFile, server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RunFile.removeIfOurs(runFile), "jmanager-run-file"));
      }
      System.out.flush();
      if (exitWithParent) {
        ParentProcess.watch(server::close);
      }
      server.awaitTermination();
      if (runFile != null) {
        RunFile.removeIfOurs(runFile);
      }
      System.out.println("jmanager daemon stopped");
      return 0;
    }
  }

  /** A JVM started without the launcher's -Xmx runs with another heap than configured: say so. */
  static void checkHeap(String configured) {
    long want = ServerConfig.bytes(configured);
    long have = Runtime.getRuntime().maxMemory();
    if (have < want * 0.8 || have > want * 1.25) {
      org.slf4j.LoggerFactory.getLogger(Main.class).warn(
          "heap is {} but this JVM's max heap is {} MB: start the daemon with bin/jmanager server (or java -Xmx{})",
          configured, have >> 20, configured);
    }
  }

  /** Options to reach a running daemon. */
  static class Client extends Common {
    @Option(names = "--address", description = "The daemon to reach: host:port, unix:/path/to/socket, or a comma-separated list tried in order. By default, it is the daemon named in the run file daemon.json beside the authkey file, else the config's address (its Unix socket first).")
    String address;

    @Option(names = "--authkey-file", description = "The authkey file. By default, the key comes from the environment variable JMANAGER_AUTHKEY, else from the config key authkey.file.")
    Path authkeyFile;

    Manager connect() {
      ServerConfig c = load();
      ManagerBuilder b = Manager.builder().address(address != null ? address : runningAddress(c));
      Path cert = localCertificate(c);
      if (cert != null && System.getenv(Fingerprints.ENV) == null && System.getenv(Fingerprints.CA_ENV) == null) {
        b.tlsFingerprint(Fingerprints.format(Fingerprints.sha256(DaemonTls.readLeaf(cert)))); // the configured daemon's own
      }
      if (authkeyFile != null) {
        b.authkeyFile(authkeyFile);
      } else if (Authkeys.fromEnvironment() == null) {
        b.authkeyFile(c.authkeyFile);
      }
      return b.connect();
    }

    /**
     * Where the daemon of this authkey directory runs, as its run file says (a daemon started with
     * {@code --port 0} or another config), else the configured address.
     */
    String runningAddress(ServerConfig c) {
      Path keyFile = authkeyFile != null ? authkeyFile : c.authkeyFile;
      return RunFile.live(RunFile.of(keyFile)).map(RunFile.Entry::clientAddress).orElseGet(() -> defaultAddress(c));
    }
  }

  /**
   * The certificate of the configured daemon if it has TLS on and the file is on this host (its
   * {@code tls.cert}, or the generated one in {@code tls.dir}); null otherwise.
   */
  static Path localCertificate(ServerConfig c) {
    if (!c.tlsEnabled) {
      return null;
    }
    Path cert = c.tlsCert != null ? c.tlsCert : c.tlsDir().resolve(DaemonTls.CERT_FILE);
    return Files.isReadable(cert) ? cert : null;
  }

  /** The configured daemon's Unix socket (if it exists on this host), then its TCP address. */
  static String defaultAddress(ServerConfig c) {
    java.nio.file.Path socket = c.unixSocket(c.port);
    String tcp = c.bind + ":" + c.port;
    return socket != null && Files.exists(socket) ? "unix:" + socket + "," + tcp : tcp;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Prints the daemon's objects, sessions and calls served, and where its dashboard is.")
  static final class Status extends Client implements Callable<Integer> {
    @Override
    public Integer call() {
      try (Manager m = connect()) {
        System.out.print(format(m.info()));
      }
      Path cert = address == null ? localCertificate(load()) : null; // the configured daemon's, not another's
      if (cert != null) {
        System.out.printf("%nTLS on TCP: certificate %s, SHA-256 fingerprint %s%n",
            cert, Fingerprints.format(Fingerprints.sha256(DaemonTls.readLeaf(cert))));
      }
      return 0;
    }
  }

  @Command(name = "shutdown", mixinStandardHelpOptions = true, description = "Stops the daemon cleanly, as SIGTERM does.")
  static final class Shutdown extends Client implements Callable<Integer> {
    @Override
    public Integer call() {
      Manager m = connect();
      String where = m.address();
      m.shutdown();
      System.out.println("asked the daemon at " + where + " to shut down");
      return 0;
    }
  }

  @Command(name = "journal", mixinStandardHelpOptions = true, description = "Repairs a durability journal (the config key journal.dir).",
      subcommands = {Main.JournalCommand.Truncate.class})
  static final class JournalCommand {
    @Command(name = "truncate", mixinStandardHelpOptions = true,
        description = "Cuts a journal file at a byte offset, as a daemon that refused to start on a damaged record"
            + " says: the records before it are kept, and it and the rest of that file are lost. Stop the daemon first.")
    static final class Truncate implements Callable<Integer> {
      @Option(names = "--file", required = true, description = "The journal file the daemon named (journal.dir/log-N or snapshot-N).")
      Path file;

      @Option(names = "--at", required = true, paramLabel = "OFFSET", description = "The byte offset the daemon named.")
      long at;

      @Override
      public Integer call() throws Exception {
        long removed = io.jmanager.server.journal.JournalFiles.truncate(file, at);
        System.out.println("truncated " + file + " at byte " + at + " (" + removed + " bytes removed)");
        return 0;
      }
    }
  }

  private static String mb(long bytes) {
    return String.format("%.1f MB", bytes / 1048576.0);
  }

  static String format(ServerInfo info) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("jmanager %s at %s%s (pid %d), up %ds, %d calls served, %.1f s CPU, %d threads%n",
        info.version(), info.address(), info.unixSocket().isEmpty() ? "" : " and " + info.unixSocket(), info.pid(),
        info.uptime().toSeconds(), info.callsServed(), info.cpuNanos() / 1e9, info.threads()));
    sb.append(String.format("data %s of %s budget (max.data.bytes), heap %s%n",
        mb(info.dataBytes()), mb(info.dataBudget()), mb(info.maxHeapBytes())));
    if (!info.journal().isEmpty()) {
      sb.append(String.format("journal %s%n", info.journal()));
    }
    if (!info.cluster().isEmpty()) {
      sb.append(info.cluster());
    }
    if (!info.dashboard().isEmpty()) {
      String base = info.dashboard().replaceFirst("\\?.*", "");
      sb.append(String.format("dashboard %s, metrics %smetrics%s%n", info.dashboard(), base,
          info.dashboard().contains("?token=") ? " (the token as ?token= or Authorization: Bearer)" : ""));
    }
    sb.append(String.format("%nobjects (%d)%n", info.objects().size()));
    sb.append(String.format("  %-24s %-18s %10s  %s%n", "NAME", "TYPE", "SIZE", "DETAILS"));
    for (ServerInfo.ObjectInfo o : info.objects()) {
      sb.append(String.format("  %-24s %-18s %10s  %s%n", o.name(), o.typeid(), o.size() < 0 ? "-" : o.size(), o.details()));
    }
    sb.append(String.format("%nsessions (%d)%n", info.sessions().size()));
    sb.append(String.format("  %-6s %-8s %-24s %10s%n", "ID", "PID", "ADDRESS", "CALLS"));
    for (ServerInfo.SessionInfo s : info.sessions()) {
      sb.append(String.format("  %-6d %-8d %-24s %10d%n", s.id(), s.pid(), s.remoteAddress(), s.calls()));
    }
    return sb.toString();
  }
}
