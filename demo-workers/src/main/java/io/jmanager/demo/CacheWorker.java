package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedCounter;
import java.util.Random;

/** A cache-demo worker: looks up keys through the shared cache, computing misses slowly. */
public final class CacheWorker {
  static final int SLOW_MILLIS = 15;

  public static void main(String[] args) {
    int seed = Integer.parseInt(args[0]);
    int requests = Integer.parseInt(args[1]);
    int keys = Integer.parseInt(args[2]);
    try (Manager m = Manager.fromEnvironment()) {
      SharedCache<Integer, Long> cache = m.cache(CacheDemo.CACHE, CacheDemo.SPEC);
      SharedCounter computed = m.counter(CacheDemo.COMPUTED);
      Random random = new Random(seed);
      for (int i = 0; i < requests; i++) {
        int key = random.nextInt(keys);
        cache.get(key, k -> {
          computed.incrementAndGet();
          return slowSquare(k);
        });
      }
    }
  }

  /** Stands in for a remote service or a heavy query. */
  static long slowSquare(int k) {
    try {
      Thread.sleep(SLOW_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return (long) k * k;
  }
}
