package io.jmanager.demo;

import io.jmanager.pool.ProcessPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The pool cases of the bench. {@code pool.map}: tasks/s of {@code map} over 100,000 trivial tasks
 * with 2 workers and Python's chunk size for them (12,500), next to CPython's {@code Pool(2).map}
 * of the same in the same run (when {@code python3} is on the PATH). {@code pool.primes}: a
 * CPU-bound {@code map} (primes by trial division) with 1 and with 2 workers, and the speed-up.
 * Pool start-up is not timed; each pool warms up first.
 */
final class PoolBench {
  static final int TASKS = 100_000;
  static final int CHUNK = 12_500; // Python's for 100,000 items and 2 processes: ceil(n / (4 * 2))

  private PoolBench() {}

  static int square(int x) {
    return x * x;
  }

  /** A range {@code [r[0], r[1])} of the primes case. */
  static long countPrimes(long[] range) {
    return Primes.countByTrialDivision(range[0], range[1]);
  }

  /** Runs {@code c} ({@code pool.map} or {@code pool.primes}): JSON lines on stdout, a summary on stderr. */
  static void run(String c, int repetitions) throws Exception {
    if (c.equals("pool.map")) {
      poolMap(repetitions);
    } else {
      primes(repetitions);
    }
  }

  private static void poolMap(int repetitions) throws Exception {
    List<Integer> items = IntStream.range(0, TASKS).boxed().toList();
    List<Double> rates = new ArrayList<>();
    try (ProcessPool pool = ProcessPool.create(2)) {
      for (int i = 0; i < 20; i++) {
        pool.map(PoolBench::square, items, CHUNK); // the JIT compiles the path in both workers
      }
      for (int r = 0; r < Math.max(3, repetitions); r++) {
        long t0 = System.nanoTime();
        pool.map(PoolBench::square, items, CHUNK);
        rates.add(TASKS * 1e9 / (System.nanoTime() - t0));
      }
    }
    double[] java = stats(rates);
    double[] python = python(Math.max(3, repetitions));
    System.out.println(String.format(Locale.ROOT,
        "{\"case\":\"pool.map\",\"processes\":2,\"tasks\":%d,\"chunksize\":%d,\"tasks_per_s\":%.0f,\"tasks_per_s_min\":%.0f,"
            + "\"tasks_per_s_max\":%.0f,\"cpython_tasks_per_s\":%s,\"cpython_tasks_per_s_min\":%s,\"cpython_tasks_per_s_max\":%s}",
        TASKS, CHUNK, java[0], java[1], java[2], json(python, 0), json(python, 1), json(python, 2)));
    System.err.println(String.format(Locale.ROOT,
        "  %-26s x2 %,11.0f tasks/s (%,.0f-%,.0f)  CPython Pool(2).map: %s", "pool.map", java[0], java[1], java[2],
        python == null ? "python3 not found" : String.format(Locale.ROOT, "%,.0f tasks/s (%,.0f-%,.0f), ratio %.2f",
            python[0], python[1], python[2], java[0] / python[0])));
  }

  private static String json(double[] stats, int i) {
    return stats == null ? "null" : String.format(Locale.ROOT, "%.0f", stats[i]);
  }

  /** How long CPython's comparison may take: its warm-up maps and the measured ones. */
  static final java.time.Duration PYTHON_WAIT = java.time.Duration.ofMinutes(2);

  /**
   * CPython's Pool(2).map of the same tasks and chunk size ({@code python/pool_map_bench.py}):
   * median, min, max tasks/s; null without python3, or if it fails or outlasts {@link #PYTHON_WAIT}.
   */
  private static double[] python(int repetitions) throws InterruptedException {
    if (Python3.version().isEmpty()) {
      return null;
    }
    try (Python3.Script script = Python3.start("pool_map_bench.py", java.util.Map.of(),
        Integer.toString(TASKS), Integer.toString(CHUNK), Integer.toString(repetitions))) {
      if (!script.waitFor(PYTHON_WAIT) || script.exitCode() != 0) {
        return null;
      }
      List<Double> rates = script.output().stream().map(line -> Double.parseDouble(line.trim())).toList();
      return rates.isEmpty() ? null : stats(rates);
    } catch (java.io.UncheckedIOException | NumberFormatException e) {
      return null;
    }
  }

  private static void primes(int repetitions) throws Exception {
    List<long[]> ranges = new ArrayList<>();
    long limit = 8_000_000;
    for (long from = 0; from < limit; from += limit / 64) {
      ranges.add(new long[] {from, Math.min(limit, from + limit / 64)});
    }
    double[] seconds = new double[3];
    long total = -1;
    for (int workers : new int[] {1, 2}) {
      List<Double> times = new ArrayList<>();
      try (ProcessPool pool = ProcessPool.create(workers)) {
        pool.map(PoolBench::countPrimes, ranges, 1); // warm-up
        pool.map(PoolBench::countPrimes, ranges, 1);
        for (int r = 0; r < Math.max(3, repetitions); r++) {
          long t0 = System.nanoTime();
          total = pool.map(PoolBench::countPrimes, ranges, 1).stream().mapToLong(Long::longValue).sum();
          times.add((System.nanoTime() - t0) / 1e9);
        }
      }
      seconds[workers] = stats(times)[0];
    }
    if (total != Primes.sieveCount((int) limit)) {
      throw new IllegalStateException("the pool counted " + total + " primes; the sieve " + Primes.sieveCount((int) limit));
    }
    System.out.println(String.format(Locale.ROOT,
        "{\"case\":\"pool.primes\",\"limit\":%d,\"chunks\":%d,\"seconds_1\":%.3f,\"seconds_2\":%.3f,\"speedup_2\":%.2f}",
        limit, ranges.size(), seconds[1], seconds[2], seconds[1] / seconds[2]));
    System.err.println(String.format(Locale.ROOT, "  %-26s 1 worker %.2f s, 2 workers %.2f s: speed-up %.2fx (%d primes, checked)",
        "pool.primes", seconds[1], seconds[2], seconds[1] / seconds[2], total));
  }

  /** Median, min, max. */
  static double[] stats(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new double[] {sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1)};
  }
}
