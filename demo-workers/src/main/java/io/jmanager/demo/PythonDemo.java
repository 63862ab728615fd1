package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import io.jmanager.client.WorkerProcess;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Java worker JVMs ({@link PythonDemoWorker}) and one unmodified CPython client ({@code
 * python/demo.py}, through the daemon's Python gateway) share a registry dict and a lock: each
 * registers itself and its pid, then adds 1 to a counter in the dict under the lock, as many times
 * as the others. The demo holds the lock until all have registered, so that their increments
 * interleave; then it prints the registry as Java and as Python see it, side by side, and checks
 * the counter against the sum of the increments. Skipped (exit 0) without {@code python3}.
 */
@Command(name = "python", mixinStandardHelpOptions = true,
    description = {"Runs Java worker JVMs and a CPython process that share a registry dict and a "
        + "lock through the daemon's Python gateway, and checks the counter they add to under the "
        + "lock.",
        "It needs python3 on the PATH; without it, the demo is skipped and exits with status 0."})
final class PythonDemo implements Callable<Integer> {
  static final String REGISTRY = "pydemo.registry";
  static final String LOCK = "pydemo.lock";
  static final String PRINT = "pydemo.print";
  static final String COUNTER = "counter";
  static final String PYTHON_NAME = "python-1";
  /** How long the workers and the script may take to start and register, and to exit when done. */
  static final Duration START_WAIT = Duration.ofSeconds(60);

  @Option(names = "--workers", defaultValue = "2",
      description = "The number of Java worker JVMs; the default is ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--increments", defaultValue = "1000",
      description = "The number of times each process adds 1 to the counter; the default is "
          + "${DEFAULT-VALUE}.")
  int increments;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Mixin
  DemoDaemon.PythonOptions pythonOptions;

  /** What a run found. {@code skipped}: there was no python3 to run. */
  record Outcome(boolean skipped, long counter, long expected, List<String> failures) {
    static Outcome skippedForLackOfPython() {
      return new Outcome(true, 0, 0, List.of());
    }

    boolean passed() {
      return !skipped && failures.isEmpty() && counter == expected;
    }
  }

  /** A process that takes part: its name in the registry, what it is, and its process. */
  private record Participant(String name, String what, Process process) {
    @Override
    public String toString() {
      return what + " " + name + " (pid " + process.pid() + ")";
    }
  }

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || increments < 1) {
      System.err.println("--workers and --increments must be at least 1");
      return 2;
    }
    Outcome o = run(System.out);
    return o.skipped() || o.passed() ? 0 : 1;
  }

  /** Runs the demo, printing to {@code out}. */
  Outcome run(PrintStream out) throws Exception {
    Optional<String> version = Python3.version();
    if (version.isEmpty() || !Python3.atLeast(version.get(), 8)) {
      out.println("python demo skipped: it needs python3 (CPython 3.8 or later) on the PATH, and "
          + version.map(v -> "python3 is " + v).orElse("there is none"));
      return Outcome.skippedForLackOfPython();
    }
    try (DemoDaemon daemon = daemonOptions.openWithPython(pythonOptions, REGISTRY, LOCK, PRINT)) {
      InetSocketAddress gateway = daemon.pythonGateway();
      out.printf("jmanager python demo: %d Java worker JVM%s and one CPython %s process add 1 to a shared counter "
              + "%,d times each, under a shared lock; %s, Python gateway at %s:%d%n",
          workers, workers == 1 ? "" : "s", version.get(), increments, daemon.describe(),
          gateway.getHostString(), gateway.getPort());
      return exchange(out, daemon, version.get());
    }
  }

  /** How long the lock may stay taken, and the increments take: generous, for a loaded machine. */
  private Duration workWait() {
    return START_WAIT.plusMillis(5L * increments * (workers + 1));
  }

  private Outcome exchange(PrintStream out, DemoDaemon daemon, String pythonVersion) throws Exception {
    Manager m = daemon.manager;
    SharedDict<String, Object> registry = m.dict(REGISTRY);
    SharedLock gate = m.lock(LOCK);
    if (!gate.tryLock(START_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("the lock '" + LOCK + "' stayed taken for " + START_WAIT.toSeconds() + " s");
    }
    try (Participants ps = new Participants()) {
      List<String> failures = new ArrayList<>();
      try {
        startAll(ps, daemon);
        failures.addAll(awaitEntries(registry, ps.all, e -> true, "registered", START_WAIT));
      } finally {
        gate.unlock(); // the increments start, interleaved
      }
      long t0 = System.nanoTime();
      if (failures.isEmpty()) {
        failures.addAll(awaitEntries(registry, ps.all,
            e -> e.get("adds") instanceof Number n && n.intValue() == increments, "made its increments", workWait()));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (failures.isEmpty()) { // else the run is over: closing ps kills what still runs
        failures.addAll(WorkerExits.failures(ps.javas, "Java worker", START_WAIT));
      }
      List<String> pythonView = failures.isEmpty() ? printedByPython(m, ps.python, failures) : List.of();
      printSideBySide(out, registry.copy(), pythonView, pythonVersion);
      if (failures.isEmpty()) {
        long total = (long) (workers + 1) * increments;
        out.printf("%,d increments in %.2f s (%,.0f/s; each is a lock, a get, a put and an unlock)%n",
            total, seconds, total / seconds);
      }
      Outcome o = check(out, registry, failures);
      if (daemonOptions.address != null && !ps.python.isAlive() && ps.python.exitCode() != 0) {
        printGatewayHint(out, daemon.pythonGateway());
      }
      return o;
    }
  }

  private static void printGatewayHint(PrintStream out, InetSocketAddress gateway) {
    out.printf("(the python3 script connects to the Python gateway at %s:%d: a daemon at --address needs "
        + "python.enabled=true, and --python-port its python.port)%n", gateway.getHostString(), gateway.getPort());
  }

  /** The processes of one run; closing kills those still running. */
  private static final class Participants implements AutoCloseable {
    final List<Participant> all = new ArrayList<>();
    final List<WorkerProcess> javas = new ArrayList<>();
    Python3.Script python;

    @Override
    public void close() throws InterruptedException {
      for (WorkerProcess w : javas) {
        if (w.isAlive()) {
          w.kill();
        }
      }
      if (python != null) {
        python.close();
      }
    }
  }

  private void startAll(Participants ps, DemoDaemon daemon) {
    for (int i = 1; i <= workers; i++) {
      WorkerProcess w = WorkerProcess.of(PythonDemoWorker.class, "java-" + i, Integer.toString(increments),
          Long.toString(workWait().toSeconds())).manager(daemon.manager).start();
      ps.javas.add(w);
      ps.all.add(new Participant("java-" + i, "Java worker", w.process()));
    }
    InetSocketAddress gateway = daemon.pythonGateway();
    ps.python = Python3.start("demo.py", Map.of("JMANAGER_AUTHKEY", HexFormat.of().formatHex(daemon.authkey())),
        "--host", gateway.getHostString(), "--port", Integer.toString(gateway.getPort()),
        "--name", PYTHON_NAME, "--increments", Integer.toString(increments),
        "--registry", REGISTRY, "--counter", COUNTER, "--lock", LOCK, "--print-queue", PRINT,
        "--lock-wait", Long.toString(workWait().toSeconds()), "--print-wait", Long.toString(workWait().toSeconds()));
    ps.all.add(new Participant(PYTHON_NAME, "python3 script", ps.python.process()));
  }

  /** Gives the script the word, and returns what it printed; or, with a line in {@code failures}, nothing. */
  private static List<String> printedByPython(Manager m, Python3.Script python, List<String> failures)
      throws InterruptedException {
    m.queue(PRINT).put("print");
    String name = "python3 script (pid " + python.pid() + ")";
    if (!python.waitFor(START_WAIT)) {
      python.close();
      failures.add(name + " was still running after " + START_WAIT.toSeconds() + " s: killed");
    } else if (python.exitCode() != 0) {
      failures.add(name + " exited with code " + python.exitCode());
    } else {
      return python.output();
    }
    return List.of();
  }

  /**
   * Waits until every participant's registry entry passes {@code test}; returns a line for each
   * that had not when the wait ended: at the bound, or as soon as one of them has exited.
   */
  private static List<String> awaitEntries(SharedDict<String, Object> registry, List<Participant> all,
      Predicate<Map<?, ?>> test, String what, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      Map<String, Object> now = registry.copy();
      List<Participant> waiting = all.stream()
          .filter(p -> !(now.get(p.name()) instanceof Map<?, ?> entry && test.test(entry)))
          .toList();
      List<Participant> gone = waiting.stream().filter(p -> !p.process().isAlive()).toList();
      if (waiting.isEmpty() || !gone.isEmpty() || System.nanoTime() - deadline > 0) {
        return (gone.isEmpty() ? waiting : gone).stream()
            .map(p -> p + (gone.isEmpty() ? " had not " + what + " after " + bound.toSeconds() + " s"
                : " exited with code " + p.process().exitValue() + " before it " + what))
            .toList();
      }
      Thread.sleep(20);
    }
  }

  /** The registry as Java sees it (left) and as the script printed it (right), row by row, in key order. */
  private static void printSideBySide(PrintStream out, Map<String, Object> javaView, List<String> pythonView,
      String pythonVersion) {
    List<String> left = new ArrayList<>(List.of("as Java sees it: m.dict(\"" + REGISTRY + "\").copy()"));
    new TreeMap<>(javaView).forEach((k, v) -> left.add(k + "=" + v));
    List<String> right = new ArrayList<>(List.of("as CPython " + pythonVersion + " sees it: m.get_dict('" + REGISTRY
        + "').items()"));
    right.addAll(pythonView.isEmpty() ? List.of("(nothing: the python3 script failed)") : pythonView);
    int width = left.stream().mapToInt(String::length).max().orElse(0);
    out.println();
    for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
      out.printf("  %-" + width + "s    %s%n", i < left.size() ? left.get(i) : "", i < right.size() ? right.get(i) : "");
    }
    out.println();
  }

  /** Prints the check line; the counter must be the sum of every process's increments, exactly. */
  private Outcome check(PrintStream out, SharedDict<String, Object> registry, List<String> failures) {
    failures.forEach(f -> out.println("FAILED: " + f));
    Object c = registry.get(COUNTER);
    long counter = c == null ? 0 : ((Number) c).longValue();
    long expected = (long) (workers + 1) * increments;
    Outcome o = new Outcome(false, counter, expected, List.copyOf(failures));
    out.printf("check: counter %,d %s %,d = (%d Java worker%s + 1 Python process) x %,d increments; "
            + "every process finished: %s  %s%n",
        counter, counter == expected ? "==" : "!=", expected, workers, workers == 1 ? "" : "s", increments,
        failures.isEmpty() ? "yes" : "no", o.passed() ? "OK" : "MISMATCH");
    return o;
  }
}
