package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Worker JVMs share one registry dict: each registers itself, counts primes in its slice, reports
 * progress, and adds its count to a shared total with {@code increment}. The parent shows live
 * progress, then the registry and a check against a single-process count.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = "Runs worker JVMs that share a registry dict and count primes together, and "
        + "checks their total.")
final class RegistryDemo implements Callable<Integer> {
  @Option(names = "--workers", defaultValue = "4",
      description = "The number of worker JVMs; the default is ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--limit", defaultValue = "3000000",
      description = "The bound below which primes are counted; the default is ${DEFAULT-VALUE}.")
  int limit;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || limit < 2) {
      throw new IllegalArgumentException("--workers must be >= 1 and --limit >= 2");
    }
    PrintStream out = System.out;
    try (DemoDaemon daemon = daemonOptions.open("registry")) {
      Manager m = daemon.manager;
      out.println("jmanager registry demo: " + workers + " worker JVMs count primes below " + limit
          + "; " + daemon.describe());
      SharedDict<String, Object> registry = m.dict("registry");
      long start = System.nanoTime();
      List<WorkerProcess> procs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        long from = (long) limit * i / workers;
        long to = (long) limit * (i + 1) / workers;
        procs.add(WorkerProcess.of(RegistryWorker.class, "worker-" + (i + 1), Long.toString(from), Long.toString(to))
            .manager(m).start());
      }
      Progress progress = new Progress(out, workers);
      while (procs.stream().anyMatch(WorkerProcess::isAlive)) {
        progress.show(registry);
        for (WorkerProcess p : procs) {
          if (p.join(Duration.ofMillis(250))) {
            continue;
          }
          break;
        }
      }
      progress.show(registry);
      progress.done();
      double seconds = (System.nanoTime() - start) / 1e9;
      int failed = 0;
      for (WorkerProcess p : procs) {
        if (p.join() != 0) {
          failed++;
          out.println(p + " exited with code " + p.exitCode().getAsInt());
        }
      }
      printTable(out, registry);
      long shared = registry.containsKey(RegistryWorker.TOTAL) ? ((Number) registry.get(RegistryWorker.TOTAL)).longValue() : 0;
      long expected = Primes.sieveCount(limit);
      boolean ok = failed == 0 && shared == expected;
      out.printf("%ncheck: shared total %d %s single-process count %d  %s  (%.1f s, %d workers)%n",
          shared, shared == expected ? "==" : "!=", expected, ok ? "OK" : "MISMATCH", seconds, workers);
      return ok ? 0 : 1;
    }
  }

  private static void printTable(PrintStream out, SharedDict<String, Object> registry) {
    out.printf("%nregistry%n  %-10s %-8s %-10s %9s %10s  %s%n", "WORKER", "PID", "STATUS", "PROGRESS", "PRIMES", "STARTED");
    registry.copy().entrySet().stream()
        .filter(e -> e.getValue() instanceof Map)
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          Map<?, ?> w = (Map<?, ?>) e.getValue();
          out.printf("  %-10s %-8s %-10s %8s%% %10s  %s%n", e.getKey(), w.get("pid"), w.get("status"),
              w.get("progress"), w.get("primes") == null ? "-" : w.get("primes"), w.get("started"));
        });
    out.printf("  %-10s %s%n", RegistryWorker.TOTAL, registry.get(RegistryWorker.TOTAL));
  }

  /** One line per worker, redrawn in place on a terminal, printed every second otherwise. */
  private static final class Progress {
    private final PrintStream out;
    private final int workers;
    private final boolean tty = System.console() != null;
    private long lastPrint;
    private boolean drawn;

    Progress(PrintStream out, int workers) {
      this.out = out;
      this.workers = workers;
    }

    void show(SharedDict<String, Object> registry) {
      long now = System.nanoTime();
      if (!tty && now - lastPrint < 1_000_000_000L) {
        return;
      }
      lastPrint = now;
      Map<String, Object> snapshot = registry.copy();
      StringBuilder sb = new StringBuilder();
      if (tty && drawn) {
        sb.append("\033[").append(workers).append('A');
      }
      for (int i = 1; i <= workers; i++) {
        Object w = snapshot.get("worker-" + i);
        int pct = w instanceof Map<?, ?> map ? ((Number) map.get("progress")).intValue() : 0;
        String status = w instanceof Map<?, ?> map ? String.valueOf(map.get("status")) : "starting";
        int bars = pct * 30 / 100;
        sb.append(String.format("  worker-%-3d [%s%s] %3d%% %-8s%n", i, "#".repeat(bars), ".".repeat(30 - bars), pct, status));
      }
      if (!tty) {
        sb.append('\n');
      }
      out.print(sb);
      out.flush();
      drawn = true;
    }

    void done() {}
  }
}
