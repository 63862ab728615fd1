package io.jmanager.demo;

import io.jmanager.client.JoinableQueue;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A producer fills a JoinableQueue with CPU-bound tasks; worker JVMs take, compute and publish
 * results to a shared dict; the parent join()s. Run once with 1 worker and once with N, it prints
 * the measured speed-up and checks that every task was done exactly once and every worker exited 0
 * (waits are bounded: a worker that fails, or never starts, fails the demo and is named).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Works a JoinableQueue of CPU-bound tasks with 1 and then --workers worker "
        + "JVMs, prints the speed-up and checks that every task was done exactly once.")
final class PipelineDemo implements Callable<Integer> {
  static final String TASKS = "pipeline.tasks";
  static final String RESULTS = "pipeline.results";
  static final String EXECUTIONS = "pipeline.executions";
  static final String READY = "pipeline.ready"; // a barrier: the parent and every worker
  static final long STOP = -1;
  /** How long the workers may take to start and reach {@link #READY}. */
  static final Duration START_WAIT = Duration.ofSeconds(60);
  /** How long the workers may take to exit once the tasks are done and each is sent a STOP. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  @Option(names = "--workers", defaultValue = "4",
      description = "The number of worker JVMs in the second run; the default is "
          + "${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--tasks", defaultValue = "200",
      description = "The number of tasks in each run; the default is ${DEFAULT-VALUE}.")
  int tasks;

  @Option(names = "--task-size", defaultValue = "50000",
      description = "The count of numbers each task searches for primes; the default is "
          + "${DEFAULT-VALUE}.")
  int taskSize;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || tasks < 1 || taskSize < 1) {
      throw new IllegalArgumentException("--workers, --tasks and --task-size must be positive");
    }
    PrintStream out = System.out;
    try (DemoDaemon daemon = daemonOptions.open()) {
      out.printf("jmanager pipeline demo: %d CPU-bound tasks (primes in %d numbers each); %s%n",
          tasks, taskSize, daemon.describe());
      Run one = run(daemon.manager, 1, out);
      Run many = one.ok ? run(daemon.manager, workers, out) : null;
      if (many != null) {
        out.printf("%nthroughput: %.1f tasks/s with 1 worker, %.1f tasks/s with %d workers: speed-up %.2fx on %d cores%n",
            one.tasksPerSecond(), many.tasksPerSecond(), workers, many.tasksPerSecond() / one.tasksPerSecond(),
            Runtime.getRuntime().availableProcessors());
      }
      boolean ok = one.ok && many != null && many.ok;
      out.println("check: " + (ok ? "every worker exited 0, every task done exactly once, results match a single-process count  OK" : "MISMATCH"));
      return ok ? 0 : 1;
    }
  }

  record Run(int tasks, double seconds, boolean ok) {
    double tasksPerSecond() {
      return tasks / seconds;
    }
  }

  private Run run(Manager m, int n, PrintStream out) throws Exception {
    for (String name : List.of(TASKS, RESULTS, EXECUTIONS, READY)) {
      m.delete(name);
    }
    JoinableQueue<Long> queue = m.joinableQueue(TASKS);
    SharedDict<Long, Long> results = m.dict(RESULTS);
    out.printf("%n%d worker%s:%n", n, n == 1 ? "" : "s");
    List<WorkerProcess> procs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      procs.add(WorkerProcess.of(PipelineWorker.class, Integer.toString(taskSize), Integer.toString(n + 1))
          .manager(m).start());
    }
    double seconds = ready(m, n, out) ? work(queue, results, procs, out) : Double.NaN;
    for (int i = 0; i < n; i++) {
      queue.put(STOP);
    }
    List<String> failed = WorkerExits.failures(procs, "pipeline worker", EXIT_WAIT);
    failed.forEach(f -> out.println("  FAILED: " + f));
    long executions = m.counter(EXECUTIONS).get();
    long total = results.values().stream().mapToLong(Long::longValue).sum();
    long expected = Primes.sieveCount(tasks * taskSize);
    boolean ok = failed.isEmpty() && !Double.isNaN(seconds) && results.size() == tasks && executions == tasks
        && total == expected;
    if (!Double.isNaN(seconds)) {
      out.printf("  %d tasks in %.2f s (%.1f tasks/s); %d results, %d executions, %d primes (expected %d)%n",
          tasks, seconds, tasks / seconds, results.size(), executions, total, expected);
    }
    return new Run(tasks, seconds, ok);
  }

  /** Meets the workers at the start line (the clock times the work, not JVM start-ups); says if not all came. */
  private static boolean ready(Manager m, int n, PrintStream out) throws InterruptedException {
    try {
      m.barrier(READY, n + 1).await(START_WAIT);
      return true;
    } catch (TimeoutException e) {
      out.printf("  FAILED: not every worker reached the start within %d s%n", START_WAIT.toSeconds());
    } catch (BrokenBarrierException e) {
      out.println("  FAILED: the start barrier broke: a worker stopped while waiting at it");
    }
    return false;
  }

  /** Puts the tasks and waits until all are done, or a worker is gone; returns the seconds it took. */
  private double work(JoinableQueue<Long> queue, SharedDict<Long, Long> results, List<WorkerProcess> procs,
      PrintStream out) throws InterruptedException {
    long start = System.nanoTime();
    for (long t = 0; t < tasks; t++) {
      queue.put(t);
    }
    ProgressBar bar = new ProgressBar(out, tasks);
    // a worker exits only after a STOP: one gone before has failed, and its tasks may never be done
    while (!queue.join(Duration.ofMillis(200)) && procs.stream().allMatch(WorkerProcess::isAlive)) {
      bar.show(results.size());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    bar.show(results.size());
    bar.finish();
    return seconds;
  }

  /** A one-line bar, redrawn in place on a terminal, printed every 20% otherwise. */
  static final class ProgressBar {
    private final PrintStream out;
    private final int total;
    private final boolean tty = System.console() != null;
    private int lastDecile = -1;

    ProgressBar(PrintStream out, int total) {
      this.out = out;
      this.total = total;
    }

    void show(int done) {
      int pct = (int) (100L * done / total);
      String line = String.format("  [%-40s] %3d%% (%d/%d)", "#".repeat(pct * 40 / 100), pct, done, total);
      if (tty) {
        out.print("\r" + line);
      } else if (pct / 20 != lastDecile) {
        lastDecile = pct / 20;
        out.println(line);
      }
      out.flush();
    }

    void finish() {
      if (tty) {
        out.println();
      }
    }
  }
}
