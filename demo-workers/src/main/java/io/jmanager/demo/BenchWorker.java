package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.Pipeline;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedLongArray;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.SharedSemaphore;
import io.jmanager.common.Authkeys;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One bench worker JVM: warms up, then for each repetition meets the other workers and the bench at
 * a barrier, times each completed call into a histogram, and leaves {ops, nanos, CPU nanos,
 * timeouts, histogram} in the dict {@code bench.results} before meeting them again. A wait that
 * timed out ({@code poll} or {@code await} returning its timeout value) is counted in timeouts, never
 * in ops or the histogram.
 */
public final class BenchWorker {
  /** One timed operation; returns how many calls it completed, or {@link #TIMED_OUT}. */
  interface Op {
    int run(int i) throws Exception;
  }

  /** What an {@link Op} returns when its wait ran out (null or false): no call completed. */
  static final int TIMED_OUT = 0;

  /** Set when the workers meet on another daemon than the one they measure (the cluster cases). */
  static final String COORDINATOR_ENV = "JMANAGER_BENCH_COORDINATOR";

  /** Calls per pipeline in {@code dict.put.pipelined}. */
  static final int PIPELINE_BATCH = 256;

  public static void main(String[] args) throws Exception {
    String name = args[0];
    String run = args[1];
    int workers = Integer.parseInt(args[2]);
    int index = Integer.parseInt(args[3]);
    long warmupNanos = (long) (Double.parseDouble(args[4]) * 1e9);
    long measureNanos = (long) (Double.parseDouble(args[5]) * 1e9);
    int payload = Integer.parseInt(args[6]);
    int reps = Integer.parseInt(args[7]);
    String daemonAddress = args[8];
    String floorAddress = args[9];
    try (Manager m = Manager.builder().address(daemonAddress).authkey(Authkeys.fromEnvironmentOrHome()).connect();
        // barriers and results on the bench's daemon: the measured one, or (cluster cases) the default one
        Manager coordinator = System.getenv(COORDINATOR_ENV) != null ? Manager.fromEnvironment() : null) {
      Manager coord = coordinator != null ? coordinator : m;
      AutoCloseable[] resource = new AutoCloseable[1];
      Op op = op(m, name, run, index, payload, floorAddress, resource);
      int i = 0;
      for (long end = System.nanoTime() + warmupNanos; System.nanoTime() < end; ) {
        i += op.run(i);
      }
      for (int r = 0; r < reps; r++) {
        coord.barrier("bench.ready." + run + "." + r, workers + 1).await(); // the measured windows overlap
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        long ops = 0;
        long timeouts = 0;
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long end = start + measureNanos;
        long now = start;
        while (now < end) {
          int n = op.run(i);
          i += n;
          long t = System.nanoTime();
          if (n == TIMED_OUT) {
            timeouts++;
          } else {
            h.recordValueWithCount(Math.max(1, (t - now) / n), n);
            ops += n;
          }
          now = t;
        }
        long cpu = processCpuNanos() - cpu0;
        ByteBuffer buf = ByteBuffer.allocate(32 + h.getNeededByteBufferCapacity());
        buf.putLong(ops).putLong(now - start).putLong(cpu).putLong(timeouts);
        h.encodeIntoCompressedByteBuffer(buf);
        byte[] bytes = new byte[buf.position()];
        buf.flip().get(bytes);
        coord.<String, byte[]>dict("bench.results").put(run + "." + index + "." + r, bytes);
        coord.barrier("bench.done." + run + "." + r, workers + 1).await();
      }
      if (resource[0] != null) {
        resource[0].close();
      }
    }
  }

  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private static Op op(
      Manager m, String name, String run, int index, int payload, String floorAddress, AutoCloseable[] resource)
      throws Exception {
    byte[] value = new byte[payload];
    String[] keys = new String[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "k" + index + "." + i;
    }
    switch (name) {
      case "floor.socket", "floor.unix", "floor.netty" -> {
        Floors.Client c = new Floors.Client(floorAddress, payload);
        resource[0] = c;
        return i -> {
          c.roundTrip();
          return 1;
        };
      }
      case "dict.put", "dict.put.cluster", "dict.put.journal-everysec", "dict.put.journal-always" -> {
        SharedDict<String, byte[]> d = m.dict("bench.dict");
        return i -> {
          d.put(keys[i & 1023], value);
          return 1;
        };
      }
      case "dict.put.pipelined" -> {
        SharedDict<String, byte[]> d = m.dict("bench.dict");
        return i -> {
          try (Pipeline p = m.pipeline()) {
            for (int k = 0; k < PIPELINE_BATCH; k++) {
              String key = keys[(i + k) & 1023];
              p.add(() -> d.put(key, value));
            }
          }
          return PIPELINE_BATCH;
        };
      }
      case "dict.get", "dict.get.cluster", "dict.get.metrics", "dict.get.tls", "dict.get.unix" -> {
        SharedDict<String, byte[]> d = m.dict("bench.dict");
        for (String k : keys) {
          d.put(k, value);
        }
        return i -> {
          d.get(keys[i & 1023]);
          return 1;
        };
      }
      case "counter.increment" -> {
        SharedCounter c = m.counter("bench.counter");
        return i -> {
          c.incrementAndGet();
          return 1;
        };
      }
      case "list.append" -> {
        SharedList<byte[]> l = m.list("bench.list");
        return i -> {
          l.add(value);
          return 1;
        };
      }
      case "dict.put.16B", "dict.put.1KiB", "dict.put.64KiB", "dict.put.1MiB" -> {
        SharedDict<String, byte[]> d = m.dict("bench.dict");
        return i -> {
          d.put(keys[i & 15], value);
          return 1;
        };
      }
      case "queue.put-take" -> {
        SharedQueue<byte[]> q = m.queue("bench.queue", 1000);
        if (index % 2 == 0) {
          return i -> q.offer(value, 100, TimeUnit.MILLISECONDS) ? 1 : TIMED_OUT;
        }
        return i -> q.poll(100, TimeUnit.MILLISECONDS) != null ? 1 : TIMED_OUT;
      }
      case "cache.get" -> {
        SharedCache<String, byte[]> c = m.cache("bench.cache", "maximumSize=100000");
        for (String k : keys) {
          c.put(k, value);
        }
        return i -> {
          c.getIfPresent(keys[i & 1023]);
          return 1;
        };
      }
      case "lock.lock-unlock" -> {
        SharedLock lock = m.lock("bench.lock");
        return i -> {
          lock.lock();
          lock.unlock();
          return 1;
        };
      }
      case "semaphore.acquire-release" -> {
        SharedSemaphore sem = m.semaphore("bench.semaphore", 2);
        return i -> {
          sem.acquire();
          sem.release();
          return 1;
        };
      }
      case "event.ping-pong" -> {
        SharedEvent ping = m.event("bench.ping." + index / 2);
        SharedEvent pong = m.event("bench.pong." + index / 2);
        if (index % 2 == 0) {
          return i -> {
            ping.set();
            if (!pong.await(Duration.ofSeconds(1))) {
              return TIMED_OUT;
            }
            pong.clear();
            return 1;
          };
        }
        return i -> {
          if (!ping.await(Duration.ofMillis(100))) {
            return TIMED_OUT;
          }
          ping.clear();
          pong.set();
          return 1;
        };
      }
      case "array.addAndGet" -> {
        SharedLongArray a = m.longArray("bench.array", 1024);
        return i -> {
          a.addAndGet(i & 1023, 1);
          return 1;
        };
      }
      case "shm.addAndGet" -> {
        // memory, not calls: a thousand per timed op, or the clock would cost more than the op
        io.jmanager.shm.SharedMemory block = io.jmanager.shm.SharedMemory.attach(Bench.shmName(run));
        resource[0] = block;
        io.jmanager.shm.LongArrayView a = block.longs();
        return i -> {
          for (int k = 0; k < 1000; k++) {
            a.addAndGet((i + k) & 1023, 1);
          }
          return 1000;
        };
      }
      default -> throw new IllegalArgumentException("unknown case " + name);
    }
  }
}
