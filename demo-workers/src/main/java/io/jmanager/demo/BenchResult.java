package io.jmanager.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/** The repetitions of one bench case: medians and ranges, as a JSON line and a summary line. */
final class BenchResult {
  /**
   * One measured window: all measured workers together. {@code timeouts} counts their waits that
   * ran out ({@code poll} or {@code await} returning null or false); the other figures leave them out.
   */
  record Repetition(double opsPerSecond, Histogram latency, double clientCpuMicrosPerCall, double daemonCpuMicrosPerCall,
      long timeouts) {
    double p50() {
      return latency.getValueAtPercentile(50) / 1000.0;
    }

    double p99() {
      return latency.getValueAtPercentile(99) / 1000.0;
    }

    double p999() {
      return latency.getValueAtPercentile(99.9) / 1000.0;
    }
  }

  /** Median and range of one figure over the repetitions. */
  record Stat(double median, double min, double max) {
    static Stat of(List<Repetition> reps, ToDoubleFunction<Repetition> f) {
      double[] v = reps.stream().mapToDouble(f).sorted().toArray();
      double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      return new Stat(median, v[0], v[v.length - 1]);
    }
  }

  final String name;
  final int processes;
  final int payload;
  private final List<Repetition> reps = new ArrayList<>();
  Stat ops;
  Stat p50;

  BenchResult(String name, int processes, int payload) {
    this.name = name;
    this.processes = processes;
    this.payload = payload;
  }

  void add(Repetition r) {
    reps.add(r);
    ops = Stat.of(reps, Repetition::opsPerSecond);
    p50 = Stat.of(reps, Repetition::p50);
  }

  String json() {
    Stat p99 = Stat.of(reps, Repetition::p99);
    Stat p999 = Stat.of(reps, Repetition::p999);
    Stat client = Stat.of(reps, Repetition::clientCpuMicrosPerCall);
    Stat daemon = Stat.of(reps, Repetition::daemonCpuMicrosPerCall);
    return String.format(Locale.ROOT,
        "{\"case\":\"%s\",\"processes\":%d,\"repetitions\":%d,\"ops_per_s\":%.1f,\"ops_per_s_min\":%.1f,\"ops_per_s_max\":%.1f,"
            + "\"p50_us\":%.1f,\"p50_us_min\":%.1f,\"p50_us_max\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
            + "\"client_cpu_us_per_call\":%.2f,\"daemon_cpu_us_per_call\":%.2f,\"payload_bytes\":%d,\"mb_per_s\":%.1f,"
            + "\"timeouts\":%d,\"ops_per_s_each\":[%s]}",
        name, processes, reps.size(), ops.median(), ops.min(), ops.max(), p50.median(), p50.min(), p50.max(),
        p99.median(), p999.median(), client.median(), daemon.median(), payload, ops.median() * payload / 1e6,
        timeouts(), reps.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.opsPerSecond())).collect(java.util.stream.Collectors.joining(",")));
  }

  /** The measured workers' waits that ran out, over every repetition: not in any other figure. */
  long timeouts() {
    return reps.stream().mapToLong(Repetition::timeouts).sum();
  }

  /** One line for a human: medians, ranges, CPU per call, the ratio to the socket floor, timeouts if any. */
  String summary(Double floorP50) {
    Stat client = Stat.of(reps, Repetition::clientCpuMicrosPerCall);
    Stat daemon = Stat.of(reps, Repetition::daemonCpuMicrosPerCall);
    String ratio = floorP50 == null || name.equals("floor.socket") ? "" : String.format(Locale.ROOT, "  %.2f x floor.socket p50", p50.median() / floorP50);
    String timedOut = timeouts() == 0 ? "" : String.format(Locale.ROOT, "  %,d waits timed out (not counted)", timeouts());
    return String.format(Locale.ROOT,
        "%-26s x%d %,10.0f ops/s (%,.0f-%,.0f)  p50 %6.1f us (%.1f-%.1f)  cpu/call client %5.1f us, daemon %5.1f us%s%s",
        name, processes, ops.median(), ops.min(), ops.max(), p50.median(), p50.min(), p50.max(),
        client.median(), daemon.median(), ratio, timedOut);
  }
}
