package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCache;
import io.jmanager.client.WorkerProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Worker JVMs share an expiring Caffeine cache in front of a slow function: what one worker
 * computed, the others read. Prints the hit rate and the slow calls saved, and checks that every
 * worker exited 0, every lookup was answered, and more than half were served from the cache.
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
    description = "Runs worker JVMs that share an expiring cache in front of a slow function, "
        + "and prints the hit rate and the calls saved.")
final class CacheDemo implements Callable<Integer> {
  static final String CACHE = "cache.demo";
  static final String SPEC = "maximumSize=10000,expireAfterWrite=30s,recordStats";
  static final String COMPUTED = "cache.demo.computed";

  @Option(names = "--workers", defaultValue = "4",
      description = "The number of worker JVMs; the default is ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--requests", defaultValue = "300",
      description = "The number of lookups each worker makes; the default is ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--keys", defaultValue = "60",
      description = "The number of distinct keys, which each worker picks at random; the default "
          + "is ${DEFAULT-VALUE}.")
  int keys;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    try (DemoDaemon daemon = daemonOptions.open(CACHE, COMPUTED)) {
      Manager m = daemon.manager;
      SharedCache<Integer, Long> cache = m.cache(CACHE, SPEC);
      out.printf("jmanager cache demo: %d worker JVMs x %d lookups over %d keys, slow function %d ms, cache \"%s\"; %s%n",
          workers, requests, keys, CacheWorker.SLOW_MILLIS, SPEC, daemon.describe());
      long start = System.nanoTime();
      List<WorkerProcess> procs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        procs.add(WorkerProcess.of(CacheWorker.class, Integer.toString(i), Integer.toString(requests), Integer.toString(keys))
            .manager(m).start());
      }
      // at most one slow call per lookup, and a minute for the JVMs to start and make the calls
      Duration bound = Duration.ofSeconds(60).plusMillis((long) requests * CacheWorker.SLOW_MILLIS);
      List<String> failed = WorkerExits.failures(procs, "cache worker", bound);
      failed.forEach(f -> out.println("FAILED: " + f));
      double seconds = (System.nanoTime() - start) / 1e9;
      SharedCache.Stats s = cache.stats();
      long computed = m.counter(COMPUTED).get();
      long lookups = (long) workers * requests;
      out.printf("%nlookups %d, hits %d, misses %d, hit rate %.1f%%%n", s.requestCount(), s.hitCount(), s.missCount(), 100 * s.hitRate());
      out.printf("slow calls made %d, saved %d (%.1f%% of lookups); without the cache: %.1f s of slow calls, with it: %.1f s%n",
          computed, lookups - computed, 100.0 * (lookups - computed) / lookups,
          lookups * CacheWorker.SLOW_MILLIS / 1000.0, computed * CacheWorker.SLOW_MILLIS / 1000.0);
      out.printf("entries cached: %d; elapsed %.1f s%n", cache.estimatedSize(), seconds);
      boolean ok = check(out, failed.size(), s, computed);
      return ok ? 0 : 1;
    }
  }

  /** Prints the check line, each clause with its numbers and true as printed; returns whether all hold. */
  private boolean check(PrintStream out, int failedWorkers, SharedCache.Stats s, long computed) {
    long lookups = (long) workers * requests;
    boolean everyKey = computed >= keys;
    boolean mostCached = 2 * computed < lookups; // "most served from the cache": more than half
    boolean ok = failedWorkers == 0 && s.requestCount() == lookups && everyKey && mostCached;
    out.printf("check: workers exited 0: %d of %d; lookups answered: %d of %d; slow calls %d %s %d keys; "
            + "served from the cache: %d of %d lookups, %s half  %s%n",
        workers - failedWorkers, workers, s.requestCount(), lookups, computed, everyKey ? ">=" : "<", keys,
        lookups - computed, lookups, mostCached ? "more than" : "not more than", ok ? "OK" : "MISMATCH");
    return ok;
  }
}
