package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/jmanager bench}: each case runs in 1 and 4 worker JVMs against the daemon, next to the
 * loopback floors measured in the same run. One JSON line per case on stdout; commentary on stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure calls (ops/s, p50/p99/p999 us) next to a raw loopback floor; JSON lines on stdout.")
final class Bench implements Callable<Integer> {
  static final List<String> CASES =
      List.of("floor.socket", "floor.netty", "dict.put", "dict.get", "counter.increment", "list.append",
          "queue.put-take", "cache.get", "array.addAndGet",
          "lock.lock-unlock", "semaphore.acquire-release", "event.ping-pong",
          "dict.put.16B", "dict.put.1KiB", "dict.put.64KiB", "dict.put.1MiB");

  /** The payload sweep runs with one process; its payload comes from the case name. */
  static int payloadOf(String c, int defaultPayload) {
    return switch (c) {
      case "dict.put.16B" -> 16;
      case "dict.put.1KiB" -> 1 << 10;
      case "dict.put.64KiB" -> 64 << 10;
      case "dict.put.1MiB" -> 1 << 20;
      default -> defaultPayload;
    };
  }

  /** Paired cases (producer/consumer, pinger/ponger): x1 is one pair, x4 two pairs. */
  static int workerCount(String c, int n) {
    return isPaired(c) ? Math.max(2, n) : n;
  }

  static boolean isPaired(String c) {
    return c.equals("queue.put-take") || c.equals("event.ping-pong");
  }

  /** In a pair, what is measured: the consumer's takes (odd), the pinger's round trips (even). */
  static boolean isMeasured(String c, int index) {
    return switch (c) {
      case "queue.put-take" -> index % 2 == 1;
      case "event.ping-pong" -> index % 2 == 0;
      default -> true;
    };
  }

  @Option(names = "--cases", defaultValue = ".*",
      description = "regex or comma list of cases to run (default: all): ${COMPLETION-CANDIDATES}")
  String cases;

  @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per case (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "warm-up seconds per case (default: ${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--processes", defaultValue = "1,4", split = ",", description = "worker JVM counts (default: ${DEFAULT-VALUE})")
  int[] processes;

  @Option(names = "--payload", defaultValue = "16", description = "value/payload bytes (default: ${DEFAULT-VALUE})")
  int payload;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Override
  public Integer call() throws Exception {
    List<String> selected = select();
    if (selected.isEmpty()) {
      System.err.println("no case matches '" + cases + "'; cases: " + CASES);
      return 2;
    }
    try (DemoDaemon daemon = daemonOptions.open(); Floors floors = new Floors()) {
      Manager m = daemon.manager;
      System.err.printf("bench: %s; %d cores; %.1f s per case after %.1f s warm-up%n",
          daemon.describe(), Runtime.getRuntime().availableProcessors(), seconds, warmup);
      Double floorP50 = null;
      for (String c : selected) {
        for (int n : c.startsWith("dict.put.") ? new int[] {1} : processes) {
          Result r = run(m, floors, c, n);
          System.out.println(r.json());
          System.out.flush();
          if (c.equals("floor.socket") && n == 1) {
            floorP50 = r.p50;
          }
          System.err.printf("  %-18s x%d  %,10.0f ops/s  p50 %7.1f us%s%n", c, n, r.opsPerSecond, r.p50,
              floorP50 == null || c.startsWith("floor.socket") ? "" : String.format("  (%.2f x floor.socket p50)", r.p50 / floorP50));
        }
      }
    }
    return 0;
  }

  private List<String> select() {
    if (cases.contains(",") || CASES.contains(cases)) {
      List<String> wanted = Arrays.asList(cases.split(","));
      return CASES.stream().filter(wanted::contains).collect(Collectors.toList());
    }
    Pattern p = Pattern.compile(cases);
    return CASES.stream().filter(c -> p.matcher(c).matches()).collect(Collectors.toList());
  }

  private Result run(Manager m, Floors floors, String c, int n) throws Exception {
    int payload = payloadOf(c, this.payload);
    int workerCount = workerCount(c, n);
    String run = c + "." + n + "." + System.nanoTime();
    SharedDict<String, byte[]> results = m.dict("bench.results");
    results.clear();
    m.delete("bench.list");
    m.delete("bench.queue");
    m.delete("bench.dict");
    List<WorkerProcess> workers = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      workers.add(WorkerProcess.of(BenchWorker.class, c, run, Integer.toString(workerCount), Integer.toString(i),
              Double.toString(warmup), Double.toString(seconds), Integer.toString(payload),
              floors.address(c))
          .manager(m).jvmArgs("-XX:+UseSerialGC", "-Xmx256m").start());
    }
    for (WorkerProcess w : workers) {
      if (w.join() != 0) {
        throw new IllegalStateException("bench worker for " + c + " failed with exit code " + w.exitCode().getAsInt());
      }
    }
    Histogram all = new Histogram(3);
    double opsPerSecond = 0;
    for (int i = 0; i < workerCount; i++) {
      if (!isMeasured(c, i)) {
        continue; // the other half of a pair: producers keep the queue full, pongers answer
      }
      ByteBuffer buf = ByteBuffer.wrap(results.get(run + "." + i));
      long ops = buf.getLong();
      long nanos = buf.getLong();
      opsPerSecond += ops * 1e9 / nanos;
      all.add(Histogram.decodeFromCompressedByteBuffer(buf, 0));
    }
    return new Result(c, workerCount, opsPerSecond, all, payload);
  }

  /** One JSON line; latencies in microseconds. */
  static final class Result {
    final String name;
    final int processes;
    final double opsPerSecond;
    final double p50;
    final double p99;
    final double p999;
    final int payload;

    Result(String name, int processes, double opsPerSecond, Histogram h, int payload) {
      this.name = name;
      this.processes = processes;
      this.opsPerSecond = opsPerSecond;
      this.p50 = h.getValueAtPercentile(50) / 1000.0;
      this.p99 = h.getValueAtPercentile(99) / 1000.0;
      this.p999 = h.getValueAtPercentile(99.9) / 1000.0;
      this.payload = payload;
    }

    String json() {
      return String.format(Locale.ROOT,
          "{\"case\":\"%s\",\"processes\":%d,\"ops_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"payload_bytes\":%d,\"mb_per_s\":%.1f}",
          name, processes, opsPerSecond, p50, p99, p999, payload, opsPerSecond * payload / 1e6);
    }
  }
}
