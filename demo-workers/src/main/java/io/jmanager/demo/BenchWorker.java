package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedSemaphore;
import java.time.Duration;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLongArray;
import io.jmanager.client.SharedQueue;
import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * One bench worker JVM: warms up, meets the other workers of its case, then times each call into a
 * histogram and leaves {ops, nanos, histogram} in the dict {@code bench.results}.
 */
public final class BenchWorker {
  /** One timed operation. */
  interface Op {
    void run(int i) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String name = args[0];
    String run = args[1];
    int workers = Integer.parseInt(args[2]);
    int index = Integer.parseInt(args[3]);
    long warmupNanos = (long) (Double.parseDouble(args[4]) * 1e9);
    long measureNanos = (long) (Double.parseDouble(args[5]) * 1e9);
    int payload = Integer.parseInt(args[6]);
    String floorAddress = args[7];
    try (Manager m = Manager.fromEnvironment()) {
      byte[] value = new byte[payload];
      String[] keys = new String[1024];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "k" + index + "." + i;
      }
      AutoCloseable resource = null;
      Op op;
      switch (name) {
        case "floor.socket", "floor.unix", "floor.netty" -> {
          Floors.Client c = new Floors.Client(floorAddress, payload);
          resource = c;
          op = i -> c.roundTrip();
        }
        case "dict.put" -> {
          SharedDict<String, byte[]> d = m.dict("bench.dict");
          op = i -> d.put(keys[i & 1023], value);
        }
        case "dict.get" -> {
          SharedDict<String, byte[]> d = m.dict("bench.dict");
          for (String k : keys) {
            d.put(k, value);
          }
          op = i -> d.get(keys[i & 1023]);
        }
        case "counter.increment" -> {
          SharedCounter c = m.counter("bench.counter");
          op = i -> c.incrementAndGet();
        }
        case "list.append" -> {
          SharedList<byte[]> l = m.list("bench.list");
          op = i -> l.add(value);
        }
        case "dict.put.16B", "dict.put.1KiB", "dict.put.64KiB", "dict.put.1MiB" -> {
          SharedDict<String, byte[]> d = m.dict("bench.dict");
          op = i -> d.put(keys[i & 15], value);
        }
        case "queue.put-take" -> {
          SharedQueue<byte[]> q = m.queue("bench.queue", 1000);
          if (index % 2 == 0) {
            op = i -> q.offer(value, 100, TimeUnit.MILLISECONDS);
          } else {
            op = i -> q.poll(100, TimeUnit.MILLISECONDS);
          }
        }
        case "cache.get" -> {
          SharedCache<String, byte[]> c = m.cache("bench.cache", "maximumSize=100000");
          for (String k : keys) {
            c.put(k, value);
          }
          op = i -> c.getIfPresent(keys[i & 1023]);
        }
        case "lock.lock-unlock" -> {
          SharedLock lock = m.lock("bench.lock");
          op = i -> {
            lock.lock();
            lock.unlock();
          };
        }
        case "semaphore.acquire-release" -> {
          SharedSemaphore sem = m.semaphore("bench.semaphore", 2);
          op = i -> {
            sem.acquire();
            sem.release();
          };
        }
        case "event.ping-pong" -> {
          SharedEvent ping = m.event("bench.ping." + index / 2);
          SharedEvent pong = m.event("bench.pong." + index / 2);
          if (index % 2 == 0) {
            op = i -> {
              ping.set();
              pong.await(Duration.ofSeconds(1));
              pong.clear();
            };
          } else {
            op = i -> {
              if (ping.await(Duration.ofMillis(100))) {
                ping.clear();
                pong.set();
              }
            };
          }
        }
        case "array.addAndGet" -> {
          SharedLongArray a = m.longArray("bench.array", 1024);
          op = i -> a.addAndGet(i & 1023, 1);
        }
        default -> throw new IllegalArgumentException("unknown case " + name);
      }
      int i = 0;
      for (long end = System.nanoTime() + warmupNanos; System.nanoTime() < end; ) {
        op.run(i++);
      }
      m.barrier("bench.ready." + run, workers).await(); // the workers' measured windows overlap
      Histogram h = new Histogram(3_600_000_000_000L, 3);
      long ops = 0;
      long start = System.nanoTime();
      long end = start + measureNanos;
      long now = start;
      while (now < end) {
        op.run(i++);
        long t = System.nanoTime();
        h.recordValue(t - now);
        now = t;
        ops++;
      }
      long nanos = now - start;
      if (resource != null) {
        resource.close();
      }
      ByteBuffer buf = ByteBuffer.allocate(16 + h.getNeededByteBufferCapacity());
      buf.putLong(ops).putLong(nanos);
      h.encodeIntoCompressedByteBuffer(buf);
      byte[] bytes = new byte[buf.position()];
      buf.flip().get(bytes);
      m.<String, byte[]>dict("bench.results").put(run + "." + index, bytes);
    }
  }
}
