package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.WorkerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code worker.first-call}: how long a new worker takes from {@link WorkerProcess#start()} to the
 * daemon's first reply (the bench sees the worker's first call land in a queue), and what {@code
 * Manager.connect} costs inside a running JVM: the worker's first connect (cold) and a second one.
 */
final class FirstCall {
  /** The worker: connects, puts its connect time (its first call), connects again, puts that. */
  public static final class Worker {
    public static void main(String[] args) throws Exception {
      long t0 = System.nanoTime();
      try (Manager m = Manager.fromEnvironment()) {
        long cold = System.nanoTime() - t0;
        SharedQueue<Long> q = m.queue(args[0]);
        q.put(cold);
        long t1 = System.nanoTime();
        try (Manager again = Manager.fromEnvironment()) {
          long warm = System.nanoTime() - t1;
          again.<Long>queue(args[0]).put(warm);
        }
      }
    }
  }

  private final boolean cds;
  private final List<Double> startToReply = new ArrayList<>();
  private final List<Double> coldConnect = new ArrayList<>();
  private final List<Double> warmConnect = new ArrayList<>();

  private FirstCall(boolean cds) {
    this.cds = cds;
  }

  static FirstCall measure(Manager m, int starts, boolean cds) throws Exception {
    FirstCall r = new FirstCall(cds);
    for (int i = 0; i < starts; i++) {
      String name = "bench.first-call." + System.nanoTime();
      SharedQueue<Long> q = m.queue(name);
      long t0 = System.nanoTime();
      WorkerProcess w = WorkerProcess.of(Worker.class, name).manager(m).classDataSharing(cds).start();
      try {
        Long cold = q.poll(60, TimeUnit.SECONDS);
        long reply = System.nanoTime() - t0;
        Long warm = q.poll(60, TimeUnit.SECONDS);
        if (cold == null || warm == null || w.join() != 0) {
          throw new IllegalStateException("first-call worker failed (exit " + w.exitCode() + ")");
        }
        r.startToReply.add(reply / 1e6);
        r.coldConnect.add(cold / 1e6);
        r.warmConnect.add(warm / 1e6);
      } finally {
        w.kill();
        m.delete(name);
      }
    }
    return r;
  }

  private String name() {
    return cds ? "worker.first-call" : "worker.first-call.nocds";
  }

  private static double[] stats(List<Double> v) {
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    return new double[] {median, s[0], s[s.length - 1]};
  }

  String json() {
    double[] r = stats(startToReply);
    double[] c = stats(coldConnect);
    double[] w = stats(warmConnect);
    return String.format(Locale.ROOT,
        "{\"case\":\"%s\",\"starts\":%d,\"start_to_first_reply_ms\":%.1f,\"start_to_first_reply_ms_min\":%.1f,"
            + "\"start_to_first_reply_ms_max\":%.1f,\"connect_ms\":%.1f,\"connect_ms_max\":%.1f,\"connect_again_ms\":%.2f}",
        name(), startToReply.size(), r[0], r[1], r[2], c[0], c[2], w[0]);
  }

  String summary() {
    double[] r = stats(startToReply);
    double[] c = stats(coldConnect);
    double[] w = stats(warmConnect);
    return String.format(Locale.ROOT,
        "%-26s    start -> first reply p50 %5.0f ms (%.0f-%.0f); in the worker: connect %.1f ms, connect again %.2f ms",
        name(), r[0], r[1], r[2], c[0], w[0]);
  }
}
