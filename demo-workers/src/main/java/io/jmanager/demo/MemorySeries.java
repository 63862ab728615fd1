package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.ServerInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's samples of the daemon process: resident memory (Linux /proc), live heap (the bytes of
 * every object that survives a full collection: the total of {@code jcmd GC.class_histogram}; -1
 * where jcmd is missing), threads and sessions. Each sample is printed as it is taken.
 */
final class MemorySeries {
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  /** One sample; memory in KiB, -1 if unknown. */
  record Sample(int minute, long rssKib, long liveHeapKib, int threads, int sessions, long ops) {}

  private final long pid;
  private final List<Sample> samples = new ArrayList<>();
  private long lastOps;
  private long lastNanos = System.nanoTime();

  MemorySeries(long pid) {
    this.pid = pid;
  }

  void sample(int minute, String label, Manager monitor, int kills, long ops) {
    long heap = liveHeapKib();
    long rss = status("VmRSS:");
    ServerInfo info = monitor.info();
    long now = System.nanoTime();
    double rate = (ops - lastOps) / ((now - lastNanos) / 1e9);
    lastOps = ops;
    lastNanos = now;
    Sample s = new Sample(minute, rss, heap, (int) status("Threads:"), info.sessions().size(), ops);
    samples.add(s);
    System.out.printf("%-9s daemon RSS %s, live heap %s, threads %d, sessions %d; %,.0f calls/s acknowledged, %d kills so far%n",
        label, mib(rss), mib(heap), s.threads(), s.sessions(), rate, kills);
  }

  List<Sample> samples() {
    return samples;
  }

  static String mib(long kib) {
    return kib < 0 ? "n/a" : String.format("%.1f MiB", kib / 1024.0);
  }

  private long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the daemon is gone: unknown
    }
    return -1;
  }

  private long liveHeapKib() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String histogram = Files.isExecutable(jcmd) ? jcmd(jcmd, "GC.class_histogram") : null;
    Matcher m = histogram == null ? null : TOTAL.matcher(histogram);
    return m != null && m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
  }

  private String jcmd(Path jcmd, String command) {
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
