package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import io.jmanager.server.ManagerServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/jmanager bench}: each case runs in 1 and 4 worker JVMs against the daemon, next to the
 * loopback floors measured in the same run, for several repetitions in the same JVMs (after one
 * warm-up). One JSON line per case on stdout, with the median and the min–max over repetitions and
 * the client's and daemon's CPU time per call; commentary on stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measures calls (ops/s, p50/p99 us, CPU us per call) next to raw loopback "
        + "floors, and prints JSON lines on stdout.")
final class Bench implements Callable<Integer> {
  static final List<String> CASES =
      List.of("floor.socket", "floor.unix", "floor.netty", "dict.put", "dict.put.journal-everysec",
          "dict.put.journal-always", "dict.get", "dict.get.metrics", "dict.get.cluster", "dict.put.cluster", "dict.get.tls",
          "dict.get.unix",
          "dict.put.pipelined", "counter.increment", "list.append", "queue.put-take", "cache.get",
          "array.addAndGet", "shm.addAndGet", "lock.lock-unlock", "semaphore.acquire-release", "event.ping-pong",
          "dict.put.16B", "dict.put.1KiB", "dict.put.64KiB", "dict.put.1MiB", "worker.first-call", "pool.map",
          "pool.primes", "python.dict.get");

  /** The payload sweep runs with one process; its payload comes from the case name. */
  static int payloadOf(String c, int defaultPayload) {
    return switch (c) {
      case "dict.put.16B" -> 16;
      case "dict.put.1KiB" -> 1 << 10;
      case "dict.put.64KiB" -> 64 << 10;
      case "dict.put.1MiB" -> 1 << 20;
      default -> defaultPayload;
    };
  }

  /** Paired cases (producer/consumer, pinger/ponger): x1 is one pair, x4 two pairs. */
  static int workerCount(String c, int n) {
    return isPaired(c) ? Math.max(2, n) : n;
  }

  static boolean isPaired(String c) {
    return c.equals("queue.put-take") || c.equals("event.ping-pong");
  }

  /** In a pair, what is measured: the consumer's takes (odd), the pinger's round trips (even). */
  static boolean isMeasured(String c, int index) {
    return switch (c) {
      case "queue.put-take" -> index % 2 == 1;
      case "event.ping-pong" -> index % 2 == 0;
      default -> true;
    };
  }

  @Option(names = "--cases", defaultValue = ".*", completionCandidates = CaseNames.class,
      description = "A regular expression or a comma-separated list of the cases to run; the "
          + "default, ${DEFAULT-VALUE}, runs them all: ${COMPLETION-CANDIDATES}.")
  String cases;

  /** The names {@code --cases} knows, for its help. */
  static final class CaseNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return CASES.iterator();
    }
  }

  @Option(names = "--seconds", defaultValue = "3",
      description = "The measured seconds of each repetition; the default is ${DEFAULT-VALUE}.")
  double seconds;

  @Option(names = "--warmup", defaultValue = "10",
      description = "The warm-up seconds of each case, once before its repetitions; four fresh "
          + "worker JVMs on two cores compile for about ten seconds before they run at steady "
          + "speed. The default is ${DEFAULT-VALUE}.")
  double warmup;

  @Option(names = "--repetitions", defaultValue = "3",
      description = "The measured repetitions of each case, whose median and min-max are "
          + "printed; the default is ${DEFAULT-VALUE}.")
  int repetitions;

  @Option(names = "--processes", defaultValue = "1,4", split = ",",
      description = "The worker JVM counts to run each case with, as a comma-separated list; the "
          + "default is ${DEFAULT-VALUE}.")
  int[] processes;

  @Option(names = "--payload", defaultValue = "16",
      description = "The bytes of each value a call carries (the dict.put.16B to dict.put.1MiB "
          + "cases set their own); the default is ${DEFAULT-VALUE}.")
  int payload;

  @Option(names = "--starts", defaultValue = "10",
      description = "The worker JVMs that worker.first-call starts with the CDS archive, and "
          + "again without it; the default is ${DEFAULT-VALUE}.")
  int starts;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Mixin
  DemoDaemon.PythonOptions pythonOptions;

  @Override
  public Integer call() throws Exception {
    List<String> selected = select();
    if (selected.isEmpty()) {
      System.err.println("no case matches '" + cases + "'; cases: " + CASES);
      return 2;
    }
    if (repetitions < 1 || seconds <= 0 || warmup < 0 || starts < 1) {
      System.err.println("--repetitions and --starts must be at least 1, --seconds positive, --warmup not negative");
      return 2;
    }
    boolean python = selected.stream().anyMatch(c -> c.startsWith("python."));
    try (DemoDaemon daemon = python ? daemonOptions.openWithPython(pythonOptions) : daemonOptions.open();
        Floors floors = new Floors(); TlsDaemon tls = new TlsDaemon(); MeteredDaemon metered = new MeteredDaemon();
        ClusterDaemons cluster = new ClusterDaemons()) {
      Manager m = daemon.manager;
      System.err.printf("bench: %s; %d cores; %d x %.1f s per case after %.1f s warm-up%n",
          daemon.describe(), Runtime.getRuntime().availableProcessors(), repetitions, seconds, warmup);
      Double floorP50 = null;
      for (String c : selected) {
        if (c.startsWith("pool.")) { // pools of their own, with their own daemons
          PoolBench.run(c, repetitions);
          continue;
        }
        if (c.startsWith("python.")) { // a CPython client on the daemon's Python gateway
          PythonBench.dictGet(daemon, warmup, seconds, repetitions, payload);
          continue;
        }
        if (c.equals("worker.first-call")) {
          for (boolean cds : new boolean[] {true, false}) {
            FirstCall r = FirstCall.measure(m, starts, cds);
            System.out.println(r.json());
            System.err.println("  " + r.summary());
          }
          continue;
        }
        if (c.endsWith(".tls")) { // a daemon of its own: TLS is on every TCP connection of a daemon, or none
          for (int n : processes) {
            BenchResult r = run(tls.manager(), tls.address(), floors, c, n);
            System.out.println(r.json());
            System.out.flush();
            System.err.println("  " + r.summary(floorP50));
          }
          continue;
        }
        if (c.endsWith(".cluster")) { // three cluster daemons of their own in this JVM; the workers reach the first
          for (int n : processes) {
            // the workers meet at barriers on the default daemon (a cluster has none), by its authkey
            BenchResult r = run(cluster.manager(daemon.authkey()), cluster.address(), m, floors, c, n);
            System.out.println(r.json());
            System.out.flush();
            System.err.println("  " + r.summary(floorP50));
          }
          continue;
        }
        if (c.endsWith(".metrics")) { // a daemon of its own with metrics.port on: the cost of metering each call
          for (int n : processes) {
            BenchResult r = run(metered.manager(), metered.address(), floors, c, n);
            System.out.println(r.json());
            System.out.flush();
            System.err.println("  " + r.summary(floorP50));
          }
          continue;
        }
        String address = c.endsWith(".unix") ? daemon.unixAddress() : daemon.tcpAddress();
        if (address == null) {
          System.err.printf("  %-26s skipped: the daemon has no Unix socket%n", c);
          continue;
        }
        boolean journaled = c.startsWith("dict.put.journal-");
        for (int n : c.startsWith("dict.put.") && !c.equals("dict.put.pipelined") && !journaled ? new int[] {1} : processes) {
          BenchResult r;
          if (journaled) {
            try (JournaledDaemon j = new JournaledDaemon(c.substring("dict.put.journal-".length()))) {
              r = run(j.manager, j.server.addressString(), floors, c, n);
            }
          } else {
            r = run(m, address, floors, c, n);
          }
          System.out.println(r.json());
          System.out.flush();
          if (c.equals("floor.socket") && n == 1) {
            floorP50 = r.p50.median();
          }
          System.err.println("  " + r.summary(floorP50));
        }
      }
    }
    return 0;
  }

  /**
   * For the {@code dict.put.journal-*} cases: a daemon in this JVM (whatever {@code --address}
   * says) with the journal on, fsync as the case names, in a temporary directory removed after.
   */
  private static final class JournaledDaemon implements AutoCloseable {
    final java.nio.file.Path dir;
    final io.jmanager.server.ManagerServer server;
    final Manager manager;

    JournaledDaemon(String fsync) throws java.io.IOException {
      dir = java.nio.file.Files.createTempDirectory("jmanager-bench-journal");
      byte[] key = io.jmanager.common.Authkeys.random();
      server = io.jmanager.server.ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).unixPath("off")
          .journal(dir, fsync).start();
      manager = Manager.builder().address(server.address()).authkey(key).connect();
    }

    @Override
    public void close() throws java.io.IOException {
      manager.close();
      server.close();
      try (var files = java.nio.file.Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The daemon of the {@code .tls} cases: started in this JVM on first use, as the default daemon
   * is, with TLS on TCP and a certificate in a temporary directory; its workers inherit the trust of
   * its manager (the pinned fingerprint).
   */
  private static final class TlsDaemon implements AutoCloseable {
    private java.nio.file.Path dir;
    private ManagerServer server;
    private Manager manager;

    Manager manager() throws java.io.IOException {
      if (manager == null) {
        dir = java.nio.file.Files.createTempDirectory("jmanager-bench-tls");
        byte[] key = io.jmanager.common.Authkeys.random();
        server = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).tls(true).tlsDir(dir).unixPath("off").start();
        manager = Manager.builder().address(server.address()).authkey(key)
            .tlsFingerprint(server.tlsFingerprint().orElseThrow()).connect();
        System.err.printf("bench: TLS cases against a TLS daemon started in this JVM at %s%n", server.addressString());
      }
      return manager;
    }

    String address() {
      return server.addressString();
    }

    @Override
    public void close() throws java.io.IOException {
      if (manager != null) {
        manager.close();
        server.close();
        for (String f : new String[] {io.jmanager.server.tls.DaemonTls.CERT_FILE, io.jmanager.server.tls.DaemonTls.KEY_FILE}) {
          java.nio.file.Files.deleteIfExists(dir.resolve(f));
        }
        java.nio.file.Files.deleteIfExists(dir);
      }
    }
  }

  /**
   * The daemons of the {@code .cluster} cases: three daemons in cluster mode, started in this JVM
   * on first use (as the default daemon is), each with its Hazelcast member on a free loopback
   * port (no CP subsystem: dicts need none). Workers connect to the first; two thirds of the keys
   * live in the other members' partitions, and every write has a backup on another member.
   */
  private static final class ClusterDaemons implements AutoCloseable {
    private final List<ManagerServer> servers = new java.util.ArrayList<>();
    private Manager manager;

    Manager manager(byte[] key) throws java.io.IOException {
      if (manager == null) {
        List<Integer> ports = new java.util.ArrayList<>();
        List<java.net.ServerSocket> sockets = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
          java.net.ServerSocket s = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
          sockets.add(s);
          ports.add(s.getLocalPort());
        }
        for (java.net.ServerSocket s : sockets) {
          s.close();
        }
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<java.util.concurrent.CompletableFuture<ManagerServer>> starting = ports.stream()
            .map(p -> java.util.concurrent.CompletableFuture.supplyAsync(() -> ManagerServer.builder().bind("127.0.0.1")
                .port(0).authkey(key).unixPath("off").clusterName("bench-" + ports.get(0))
                .cluster("127.0.0.1", p, members).clusterCpMembers(0).start()))
            .toList();
        starting.forEach(f -> servers.add(f.join()));
        manager = Manager.builder().address(servers.get(0).address()).authkey(key).connect();
        System.err.printf("bench: cluster cases against three cluster daemons started in this JVM; workers reach %s%n",
            servers.get(0).addressString());
      }
      return manager;
    }

    String address() {
      return servers.get(0).addressString();
    }

    @Override
    public void close() {
      if (manager != null) {
        manager.close();
        servers.forEach(ManagerServer::close);
      }
    }
  }

  /**
   * The daemon of the {@code .metrics} cases: started in this JVM on first use, as the default
   * daemon is, with metrics and the dashboard on a free loopback port.
   */
  private static final class MeteredDaemon implements AutoCloseable {
    private ManagerServer server;
    private Manager manager;

    Manager manager() {
      if (manager == null) {
        byte[] key = io.jmanager.common.Authkeys.random();
        server = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).unixPath("off")
            .metrics("127.0.0.1", 0).start();
        manager = Manager.builder().address(server.address()).authkey(key).connect();
        System.err.printf("bench: metered cases against a daemon started in this JVM at %s, metrics at %s%n",
            server.addressString(), server.dashboardUrl().orElseThrow() + "metrics");
      }
      return manager;
    }

    String address() {
      return server.addressString();
    }

    @Override
    public void close() {
      if (manager != null) {
        manager.close();
        server.close();
      }
    }
  }

  private List<String> select() {
    if (cases.contains(",") || CASES.contains(cases)) {
      List<String> wanted = Arrays.asList(cases.split(","));
      return CASES.stream().filter(wanted::contains).collect(Collectors.toList());
    }
    Pattern p = Pattern.compile(cases);
    return CASES.stream().filter(c -> p.matcher(c).matches()).collect(Collectors.toList());
  }

  /** One case with {@code n} processes: its workers warm up once, then meet the bench per repetition. */
  private BenchResult run(Manager m, String address, Floors floors, String c, int n) throws Exception {
    return run(m, address, m, floors, c, n);
  }

  /**
   * As {@link #run(Manager, String, Floors, String, int)}, the workers measuring the daemon at
   * {@code address} ({@code m}) and meeting at barriers, and leaving results, on {@code coordinator}'s
   * (both with its authkey).
   */
  private BenchResult run(Manager m, String address, Manager coordinator, Floors floors, String c, int n)
      throws Exception {
    int payload = payloadOf(c, this.payload);
    int workerCount = workerCount(c, n);
    String run = c + "." + n + "." + System.nanoTime();
    SharedDict<String, byte[]> results = coordinator.dict("bench.results");
    results.clear();
    m.delete("bench.list");
    m.delete("bench.queue");
    m.delete("bench.dict");
    // shm.*: a shared memory block of this host, made here and mapped by every worker
    io.jmanager.shm.SharedMemory block = c.startsWith("shm.") ? io.jmanager.shm.SharedMemory.create(shmName(run), 8 << 10) : null;
    List<WorkerProcess> workers = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      WorkerProcess w = WorkerProcess.of(BenchWorker.class, c, run, Integer.toString(workerCount), Integer.toString(i),
              Double.toString(warmup), Double.toString(seconds), Integer.toString(payload),
              Integer.toString(repetitions), address, floors.address(c))
          .manager(coordinator).jvmArgs("-XX:+UseSerialGC", "-Xmx256m");
      if (coordinator != m) {
        w.env(BenchWorker.COORDINATOR_ENV, "1");
      }
      workers.add(w.start());
    }
    BenchResult result = new BenchResult(c, workerCount, payload);
    Duration patience = Duration.ofSeconds((long) (warmup + seconds) + 60);
    try {
      for (int r = 0; r < repetitions; r++) {
        coordinator.barrier("bench.ready." + run + "." + r, workerCount + 1).await(patience);
        long daemonCpu0 = m.info().cpuNanos(); // its process: for the cluster cases this one, with all three
        coordinator.barrier("bench.done." + run + "." + r, workerCount + 1).await(patience);
        long daemonCpu = m.info().cpuNanos() - daemonCpu0;
        result.add(repetition(results, c, run, r, workerCount, daemonCpu));
      }
      List<String> failed = WorkerExits.failures(workers, "bench worker for " + c, patience);
      if (!failed.isEmpty()) {
        throw new IllegalStateException(String.join("; ", failed));
      }
    } finally {
      workers.forEach(w -> {
        if (w.isAlive()) {
          w.kill();
        }
      });
      if (block != null) {
        block.close();
        block.unlink();
      }
    }
    return result;
  }

  /** The shared memory block of the run {@code run} of an {@code shm.*} case. */
  static String shmName(String run) {
    return "jmanager-bench-" + run.replaceAll("[^A-Za-z0-9]", "-");
  }

  private static BenchResult.Repetition repetition(
      SharedDict<String, byte[]> results, String c, String run, int r, int workerCount, long daemonCpuNanos)
      throws java.util.zip.DataFormatException {
    Histogram all = new Histogram(3);
    double opsPerSecond = 0;
    long measuredOps = 0;
    long timeouts = 0;
    long clientCpuNanos = 0;
    for (int i = 0; i < workerCount; i++) { // as BenchWorker leaves it: ops, nanos, CPU nanos, timeouts, histogram
      ByteBuffer buf = ByteBuffer.wrap(results.get(run + "." + i + "." + r));
      long ops = buf.getLong();
      long nanos = buf.getLong();
      clientCpuNanos += buf.getLong();
      long timedOut = buf.getLong();
      Histogram h = Histogram.decodeFromCompressedByteBuffer(buf, 0);
      if (isMeasured(c, i)) { // the other half of a pair keeps the queue full, or answers pings
        opsPerSecond += ops * 1e9 / nanos;
        measuredOps += ops;
        timeouts += timedOut;
        all.add(h);
      }
    }
    if (measuredOps == 0) {
      throw new IllegalStateException("bench case " + c + ": no call completed in repetition " + (r + 1) + " ("
          + timeouts + " waits timed out)");
    }
    return new BenchResult.Repetition(
        opsPerSecond, all, clientCpuNanos / 1e3 / measuredOps, daemonCpuNanos / 1e3 / measuredOps, timeouts);
  }
}
