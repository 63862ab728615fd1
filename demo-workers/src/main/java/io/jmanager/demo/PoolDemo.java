package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.pool.ProcessPool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A process pool at work: counts the primes below a limit by trial division, in chunks spread over
 * 1, 2 and 4 worker JVMs, prints each run's time and speed-up, and checks each total against a
 * sieve in this JVM. The pool runs on a daemon of its own, embedded here, or on the one at {@code
 * --address}.
 */
@Command(name = "pool", mixinStandardHelpOptions = true,
    description = "Counts primes with a ProcessPool of each size in --workers, prints the "
        + "speed-ups and checks each total.")
final class PoolDemo implements Callable<Integer> {
  @Option(names = "--limit", defaultValue = "4000000",
      description = "The bound below which primes are counted; the default is ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--chunks", defaultValue = "64",
      description = "The number of ranges the work is split into; the default is "
          + "${DEFAULT-VALUE}.")
  int chunks;

  @Option(names = "--workers", split = ",", defaultValue = "1,2,4",
      description = "The pool sizes to run, one after another, as a comma-separated list; the "
          + "default is ${DEFAULT-VALUE}.")
  int[] sizes;

  @Mixin
  DemoDaemon.Options daemonOptions; // --address: a daemon the user started

  /** The task: the primes of one range, by method reference (it travels by name). */
  static long count(long[] range) {
    return Primes.countByTrialDivision(range[0], range[1]);
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (limit < 2 || chunks < 1) {
      System.err.println("--limit must be at least 2 and --chunks at least 1");
      return 2;
    }
    List<long[]> ranges = new ArrayList<>();
    long step = Math.max(1, (limit + chunks - 1) / chunks);
    for (long from = 0; from < limit; from += step) {
      ranges.add(new long[] {from, Math.min(limit, from + step)});
    }
    long expected = Primes.sieveCount(limit);
    out.printf("jmanager pool demo: primes below %,d in %d ranges; %d cores; the sieve says %,d%n",
        limit, ranges.size(), Runtime.getRuntime().availableProcessors(), expected);
    boolean allRight = true;
    Manager daemon = daemonOptions.address == null ? null : Manager.connect(daemonOptions.address);
    try {
      for (int n : sizes) {
        if (!run(n, daemon, ranges, expected, out)) {
          allRight = false;
        }
      }
    } finally {
      if (daemon != null) {
        daemon.close();
      }
    }
    out.println(allRight ? "every total matches the sieve" : "MISMATCH: a total differs from the sieve");
    return allRight ? 0 : 1;
  }

  /** The first run's time, times its pool size: what one worker would take, for the speed-ups. */
  private double first;

  /** One pool of {@code n} workers on {@code daemon} (null: embedded here); prints its time; whether its total is right. */
  private boolean run(int n, Manager daemon, List<long[]> ranges, long expected, PrintStream out) {
    try (ProcessPool pool = daemon == null ? ProcessPool.create(n) : ProcessPool.builder().processes(n).manager(daemon).start()) {
      pool.map(PoolDemo::count, ranges.subList(0, Math.min(ranges.size(), 2 * n)), 1); // start the workers' JIT
      long t0 = System.nanoTime();
      long total = pool.map(PoolDemo::count, ranges, 1).stream().mapToLong(Long::longValue).sum();
      double seconds = (System.nanoTime() - t0) / 1e9;
      first = first == 0 ? seconds * sizes[0] : first;
      boolean right = total == expected;
      out.printf("  %d worker%s  %6.2f s  speed-up %.2fx over one  %,d primes %s%n", n, n == 1 ? " " : "s", seconds,
          first / seconds, total, right ? "(checked)" : "WRONG");
      return right;
    }
  }
}
