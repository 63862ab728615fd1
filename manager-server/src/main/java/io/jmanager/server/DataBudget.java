package io.jmanager.server;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's data budget ({@code max.data.bytes}): memory is a budget, not a cliff. The data in
 * use is the heap that was live after the last garbage collection plus the bytes of the storing
 * calls admitted since (the frames they arrived in), so a burst between two collections counts at
 * once. Garbage may hide in that figure (values overwritten or deleted since), so a storing call
 * that would pass the budget waits for the next collection and is refused only if the budget is
 * still passed after it: deleting makes room again, however soon the next call comes. The daemon
 * collects at most once per second, and never more than a tenth of its time; a call waits for the
 * next allowed collection rather than being judged on a stale figure. Thread-safe.
 */
final class DataBudget implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataBudget.class);
  private static final long MIN_COLLECTION_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What a storing call of some size may do now. */
  enum Verdict {
    STORE,
    COLLECT_FIRST,
    REFUSE
  }

  /**
   * Calls storing less than this are checked against the budget every {@link #CHECK_EVERY}th
   * time only, so the budget may be passed by at most their product per event loop: 256 KiB.
   */
  static final int SMALL_BYTES = 4096;
  static final int CHECK_EVERY = 64;

  private final long budget;
  private int smallSinceCheck; // racy on purpose: a hint; a lost update only delays a check
  private final long maxHeap;
  private final Set<String> heapPools;
  private final java.util.concurrent.atomic.LongAdder storedSinceCollection = new java.util.concurrent.atomic.LongAdder();
  private volatile long liveAfterCollection;
  private final List<Runnable> unlisten = new ArrayList<>();
  private final Object collecting = new Object();
  private CompletableFuture<Void> collection; // guarded by collecting
  private long nextCollectionAllowed; // guarded by collecting; System.nanoTime()
  private long refusals; // guarded by collecting
  private long lastRefusalLog = System.nanoTime() - TimeUnit.SECONDS.toNanos(10); // guarded by collecting

  DataBudget(long budget) {
    this.budget = budget;
    this.maxHeap = Runtime.getRuntime().maxMemory();
    this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName)
        .collect(Collectors.toSet());
    this.liveAfterCollection = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    NotificationListener listener = this::onCollection;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        unlisten.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (javax.management.ListenerNotFoundException ignored) {
            // already gone
          }
        });
      }
    }
  }

  long budget() {
    return budget;
  }

  long maxHeap() {
    return maxHeap;
  }

  /** Bytes of data in use, as the budget counts them. */
  long used() {
    return liveAfterCollection + storedSinceCollection.sum();
  }

  /**
   * A storing call arriving in a frame of {@code bytes}: counted and allowed, or to be retried
   * after a collection (if {@code collected} is false), or refused (after one).
   */
  Verdict admit(long bytes, boolean collected) {
    storedSinceCollection.add(bytes); // every storing call: no contended atomic across event loops
    if (bytes < SMALL_BYTES && ++smallSinceCheck < CHECK_EVERY && !collected) {
      return Verdict.STORE; // summing the counter on every small call would cost more than the call
    }
    smallSinceCheck = 0;
    if (used() <= budget) {
      return Verdict.STORE;
    }
    storedSinceCollection.add(-bytes); // not stored after all
    synchronized (collecting) {
      if (!collected) {
        return Verdict.COLLECT_FIRST;
      }
      refusals++;
      long now = System.nanoTime();
      if (now - lastRefusalLog >= TimeUnit.SECONDS.toNanos(10)) {
        log.warn("data budget reached: {} of {} bytes in use (max.data.bytes); {} storing calls refused so far",
            used(), budget, refusals);
        lastRefusalLog = now;
      }
      return Verdict.REFUSE;
    }
  }

  /**
   * A collection, running or coming (as soon as the last is far enough behind), on a thread of its
   * own; completes when it is over.
   */
  CompletableFuture<Void> collect() {
    synchronized (collecting) {
      if (collection != null) {
        return collection;
      }
      CompletableFuture<Void> done = collection = new CompletableFuture<>();
      long notBefore = nextCollectionAllowed;
      Thread t = new Thread(() -> {
        for (long wait; (wait = notBefore - System.nanoTime()) > 0; ) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait); // the rate limit: a timer, nothing to wait for
        }
        long start = System.nanoTime();
        try {
          System.gc();
          MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          liveAfterCollection = heap.getUsed();
          storedSinceCollection.reset();
        } finally {
          long took = System.nanoTime() - start;
          synchronized (collecting) {
            nextCollectionAllowed = System.nanoTime() + Math.max(MIN_COLLECTION_GAP_NANOS, 9 * took);
            collection = null;
          }
          log.info("data budget: collected garbage in {} ms; {} of {} bytes in use", took / 1_000_000, used(), budget);
          done.complete(null);
        }
      }, "jmanager-collect");
      t.setDaemon(true);
      t.start();
      return done;
    }
  }

  private void onCollection(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long live = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        live += e.getValue().getUsed();
      }
    }
    liveAfterCollection = live;
    storedSinceCollection.reset();
  }

  @Override
  public void close() {
    unlisten.forEach(Runnable::run);
  }
}
