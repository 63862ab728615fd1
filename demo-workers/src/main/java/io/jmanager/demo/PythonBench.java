package io.jmanager.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Python cases of the bench. {@code python.dict.get}: {@code d.get('k')} from one CPython
 * process through the daemon's Python gateway, next to the same call on CPython's own {@code
 * SyncManager} (a server process the script starts, on TCP loopback as the gateway is) in the same
 * run, windows of the two alternating ({@code python/dict_get_bench.py}). The gateway's windows
 * come after {@code --warmup} seconds of its calls: one client calling alone gives the daemon's
 * JIT little to go on (pinned to one CPU, its 1 s windows rose for ~5 s). A JSON line on stdout
 * with the median and min-max of ops/s and the median p50 of each side, and a summary with the
 * ratio on stderr. Skipped, with a line saying so, without {@code python3}.
 */
final class PythonBench {
  static final String DICT = "bench.python.dict";

  private PythonBench() {}

  /**
   * Runs {@code python.dict.get} against {@code daemon}'s gateway.
   *
   * @throws IllegalStateException if the script fails or runs past its bound (it is killed then)
   */
  static void dictGet(DemoDaemon daemon, double warmup, double seconds, int repetitions, int payload)
      throws InterruptedException {
    Optional<String> version = Python3.version();
    if (version.isEmpty()) {
      System.err.printf("  %-26s skipped: it needs python3 on the PATH, and there is none%n", "python.dict.get");
      return;
    }
    InetSocketAddress gateway = daemon.pythonGateway();
    if (!listening(gateway)) {
      System.err.printf("  %-26s skipped: no Python gateway answers at %s:%d (the daemon's python.enabled and "
          + "python.port; --python-port)%n", "python.dict.get", gateway.getHostString(), gateway.getPort());
      return;
    }
    List<String> lines = runScript(daemon, warmup, seconds, repetitions, payload);
    List<Double> ours = new ArrayList<>();
    List<Double> oursP50 = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    List<Double> theirsP50 = new ArrayList<>();
    for (String line : lines) { // "gateway|cpython OPS_PER_S P50_US"
      String[] f = line.split(" ");
      boolean viaGateway = f[0].equals("gateway");
      (viaGateway ? ours : theirs).add(Double.parseDouble(f[1]));
      (viaGateway ? oursP50 : theirsP50).add(Double.parseDouble(f[2]));
    }
    if (ours.size() != repetitions || theirs.size() != repetitions) {
      throw new IllegalStateException("python.dict.get: the script printed " + lines);
    }
    double[] o = PoolBench.stats(ours);
    double[] t = PoolBench.stats(theirs);
    double p50 = PoolBench.stats(oursP50)[0];
    double theirP50 = PoolBench.stats(theirsP50)[0];
    System.out.println(String.format(Locale.ROOT,
        "{\"case\":\"python.dict.get\",\"processes\":1,\"repetitions\":%d,\"payload_bytes\":%d,\"ops_per_s\":%.1f,"
            + "\"ops_per_s_min\":%.1f,\"ops_per_s_max\":%.1f,\"p50_us\":%.1f,\"cpython_ops_per_s\":%.1f,"
            + "\"cpython_ops_per_s_min\":%.1f,\"cpython_ops_per_s_max\":%.1f,\"cpython_p50_us\":%.1f,"
            + "\"cpython\":\"%s\",\"cpython_transport\":\"tcp\",\"warmup_s\":%.1f,\"ops_per_s_each\":[%s],"
            + "\"cpython_ops_per_s_each\":[%s]}",
        repetitions, payload, o[0], o[1], o[2], p50, t[0], t[1], t[2], theirP50, version.get(), warmup, each(ours),
        each(theirs)));
    System.out.flush();
    System.err.println(String.format(Locale.ROOT,
        "  %-26s x1 %,10.0f ops/s (%,.0f-%,.0f)  p50 %6.1f us  CPython %s SyncManager: %,.0f ops/s (%,.0f-%,.0f)  "
            + "p50 %.1f us; ratio %.2f",
        "python.dict.get", o[0], o[1], o[2], p50, version.get(), t[0], t[1], t[2], theirP50, o[0] / t[0]));
  }

  /** Whether something accepts TCP connections at {@code address} (the gateway ignores one that sends nothing). */
  private static boolean listening(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 5_000);
      return true;
    } catch (IOException refusedOrUnreachable) {
      return false; // the answer, not an error: the case is skipped with a line saying so
    }
  }

  private static String each(List<Double> rates) {
    return rates.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).collect(Collectors.joining(","));
  }

  private static List<String> runScript(DemoDaemon daemon, double warmup, double seconds, int repetitions,
      int payload) throws InterruptedException {
    daemon.manager.delete(DICT);
    InetSocketAddress gateway = daemon.pythonGateway();
    Duration bound = Duration.ofSeconds(60 + (long) Math.ceil(2 * (warmup + repetitions * seconds)));
    try (Python3.Script script = Python3.start("dict_get_bench.py",
        Map.of("JMANAGER_AUTHKEY", HexFormat.of().formatHex(daemon.authkey())),
        "--host", gateway.getHostString(), "--port", Integer.toString(gateway.getPort()), "--dict", DICT,
        "--payload", Integer.toString(payload), "--warmup", Double.toString(warmup),
        "--seconds", Double.toString(seconds), "--repetitions", Integer.toString(repetitions))) {
      if (!script.waitFor(bound)) {
        throw new IllegalStateException("python.dict.get: python3 was still running after " + bound.toSeconds()
            + " s: killed");
      }
      if (script.exitCode() != 0) {
        throw new IllegalStateException("python.dict.get: python3 exited with code " + script.exitCode());
      }
      return script.output();
    } finally {
      daemon.manager.delete(DICT);
    }
  }
}
