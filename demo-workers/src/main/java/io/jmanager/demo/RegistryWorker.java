package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One registry-demo worker: {@code worker-N from to}. */
public final class RegistryWorker {
  static final String TOTAL = "primes.total";
  private static final int STEPS = 50;

  public static void main(String[] args) {
    String id = args[0];
    long from = Long.parseLong(args[1]);
    long to = Long.parseLong(args[2]);
    try (Manager m = Manager.fromEnvironment()) {
      SharedDict<String, Object> registry = m.dict("registry");
      Map<String, Object> me = new HashMap<>();
      me.put("pid", ProcessHandle.current().pid());
      me.put("started", Instant.now().toString().substring(11, 23));
      me.put("status", "running");
      me.put("progress", 0);
      registry.put(id, me);
      long count = 0;
      for (int step = 0; step < STEPS; step++) {
        long a = from + (to - from) * step / STEPS;
        long b = from + (to - from) * (step + 1) / STEPS;
        count += Primes.countByTrialDivision(a, b);
        me.put("progress", (step + 1) * 100 / STEPS);
        registry.put(id, me);
      }
      registry.increment(TOTAL, count);
      registry.merge("workers.done", 1, (x, y) -> (Integer) x + (Integer) y);
      me.put("status", "done");
      me.put("primes", count);
      registry.put(id, me);
    }
  }
}
