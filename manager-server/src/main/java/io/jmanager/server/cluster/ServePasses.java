package io.jmanager.server.cluster;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Serves an object's parked calls on the cluster's threads: one pass at a time, and one more
 * after it for every request that came while it ran, so that a change is never missed and passes
 * never overlap. A pass that fails is logged; the next request or retry tries again.
 */
final class ServePasses {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServePasses.class);

  private final Executor executor;
  private final Runnable pass;
  private final Supplier<String> what;
  private final AtomicInteger requests = new AtomicInteger();

  ServePasses(Executor executor, Runnable pass, Supplier<String> what) {
    this.executor = executor;
    this.pass = pass;
    this.what = what;
  }

  /** Asks for a pass: runs one now on the executor, or after the one running. */
  void request() {
    if (requests.getAndIncrement() == 0) {
      executor.execute(() -> {
        do {
          try {
            pass.run();
          } catch (RuntimeException e) {
            log.warn("serving the calls parked on {} failed: {}", what.get(), e.toString(), e);
          }
        } while (requests.decrementAndGet() > 0);
      });
    }
  }
}
