package io.jmanager.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed handshakes, per remote IP address, counted in windows of {@code
 * handshake.failure.interval} that open at an address's first failure.
 *
 * <p><b>Logging.</b> The first failure of each kind from an address in a window is logged at once,
 * with its detail (at most {@value #PROMPT_LINES} such lines per interval over all addresses); the
 * rest are counted. Once per interval, {@link #flush()} (which the daemon runs) logs one line with
 * the counts of each address whose window has ended (the {@value #SUMMARY_LINES} with most failures;
 * one more line sums up the others). A thousand wrong keys from one address cost three lines, and a
 * flood from many addresses a bounded number per interval.
 *
 * <p><b>Limiting.</b> After {@code max.handshake.failures.per.address} failures in one window, new
 * connections from that address are answered {@code Denied} and closed at accept, with no
 * handshake, until the window ends; this is logged once. Other addresses are not affected. Unix
 * socket connections have no IP: their failures are logged the same way (as {@code unix socket})
 * but never refused at accept, since the socket file is the daemon user's alone and one looping
 * misconfigured worker must not lock out every local one; {@code max.unauthenticated} still bounds
 * them. Beyond {@value #MAX_TRACKED} addresses with open windows, further addresses are counted
 * together and not refused, so the table stays bounded whatever the source of the flood.
 *
 * <p>Thread-safe: one lock, taken once per failure and once per accepted connection.
 */
final class HandshakeFailures {
  private static final Logger log = LoggerFactory.getLogger(HandshakeFailures.class);
  static final int MAX_TRACKED = 10_000;
  static final int PROMPT_LINES = 10;
  static final int SUMMARY_LINES = 10;
  private static final String UNIX = "unix socket";
  private static final String OTHERS = "other addresses (beyond " + MAX_TRACKED + " tracked)";

  /** Why a handshake failed. */
  enum Kind {
    WRONG_AUTHKEY("wrong authkey"),
    MALFORMED("malformed handshake"),
    TIMED_OUT("no handshake in time"),
    TLS("TLS handshake failed"),
    EVICTED("unauthenticated, closed for newer connections from the same address");

    final String text;

    Kind(String text) {
      this.text = text;
    }
  }

  /** One address's failures in the window that opened at its first. */
  private static final class Window {
    final Object from;
    final long start;
    final int[] counts = new int[Kind.values().length];
    int failures;
    int logged;
    int refused;
    boolean blocked;

    Window(Object from, long start) {
      this.from = from;
      this.start = start;
    }
  }

  private final int maxFailures;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final java.util.concurrent.atomic.LongAdder[] totals = newTotals();
  private final Map<Object, Window> windows = new HashMap<>(); // guarded by this; key: InetAddress or a label
  private final List<Window> ended = new ArrayList<>(); // guarded by this: ended and replaced before a flush
  private int promptLines; // guarded by this: logged since the last flush

  /**
   * @param maxFailures failures in one window after which an address is refused at accept; 0 never
   * @param clock nanoseconds, as {@link System#nanoTime()} (tests pass their own)
   */
  HandshakeFailures(int maxFailures, long interval, TimeUnit unit, LongSupplier clock) {
    this.maxFailures = maxFailures;
    this.intervalNanos = unit.toNanos(interval);
    this.clock = clock;
  }

  /** The IP address {@code ch} comes from, or null for a Unix socket (no IP). */
  static InetAddress remoteIp(Channel ch) {
    return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  /**
   * Whether a new connection from {@code ip} is to be refused without a handshake: its address
   * has failed too often in its current window. Counts the refusal.
   */
  synchronized boolean refuse(InetAddress ip) {
    if (ip == null || maxFailures == 0) {
      return false;
    }
    Window w = windows.get(ip);
    if (w == null || !w.blocked || expired(w, clock.getAsLong())) {
      return false;
    }
    w.refused++;
    return true;
  }

  /** A handshake from {@code ip} (null: a Unix socket) failed; {@code detail} says how. */
  void failed(InetAddress ip, Kind kind, String detail) {
    totals[kind.ordinal()].increment();
    List<Runnable> lines = new ArrayList<>(2);
    synchronized (this) {
      long now = clock.getAsLong();
      Window w = window(ip == null ? UNIX : ip, now);
      w.failures++;
      if (++w.counts[kind.ordinal()] == 1 && promptLines < PROMPT_LINES) {
        promptLines++;
        w.logged++;
        String from = label(w.from);
        lines.add(() -> log.warn("rejected connection from {}: {}{}; more failures from there within {} s are counted "
            + "and logged together", from, kind.text, detail.isEmpty() ? "" : " (" + detail + ")", seconds()));
      }
      if (!w.blocked && maxFailures > 0 && w.failures >= maxFailures && w.from instanceof InetAddress) {
        w.blocked = true;
        String from = label(w.from);
        long left = TimeUnit.NANOSECONDS.toMillis(w.start + intervalNanos - now);
        if (promptLines++ < PROMPT_LINES) {
          lines.add(() -> log.warn("refusing new connections from {} at accept for {} ms: {} failed handshakes within {} s "
              + "(max.handshake.failures.per.address={})", from, left, maxFailures, seconds(), maxFailures));
        }
      }
    }
    lines.forEach(Runnable::run);
  }

  /** {@code key}'s open window, started now if it has none (or its last has ended). */
  private Window window(Object key, long now) {
    Window w = windows.get(key);
    if (w != null && expired(w, now)) {
      ended.add(windows.remove(key));
      w = null;
    }
    if (w == null && windows.size() >= MAX_TRACKED && key instanceof InetAddress) {
      key = OTHERS;
      w = windows.get(key);
    }
    if (w == null) {
      w = new Window(key, now);
      windows.put(key, w);
    }
    return w;
  }

  /**
   * Logs the counts of every window that has ended, and forgets them. The daemon runs this once per
   * interval.
   */
  void flush() {
    List<Window> report = new ArrayList<>();
    synchronized (this) {
      long now = clock.getAsLong();
      report.addAll(ended);
      ended.clear();
      for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
        Window w = it.next();
        if (expired(w, now)) {
          report.add(w);
          it.remove();
        }
      }
      promptLines = 0;
    }
    report.removeIf(w -> w.failures == w.logged && w.refused == 0); // its one failure of each kind was logged
    report.sort(Comparator.comparingInt((Window w) -> w.failures + w.refused).reversed());
    for (Window w : report.subList(0, Math.min(SUMMARY_LINES, report.size()))) {
      log.warn("{}: {} failed handshakes in {} s ({}){}", label(w.from), w.failures, seconds(), kinds(w),
          w.refused == 0 ? "" : "; " + w.refused + " connections refused at accept");
    }
    if (report.size() > SUMMARY_LINES) {
      List<Window> rest = report.subList(SUMMARY_LINES, report.size());
      log.warn("{} more addresses: {} failed handshakes in {} s; {} connections refused at accept", rest.size(),
          rest.stream().mapToLong(w -> w.failures).sum(), seconds(), rest.stream().mapToLong(w -> w.refused).sum());
    }
  }

  /** Addresses with a window open. */
  /** Failures of {@code kind} since the daemon started. */
  long total(Kind kind) {
    return totals[kind.ordinal()].sum();
  }

  private static java.util.concurrent.atomic.LongAdder[] newTotals() {
    var t = new java.util.concurrent.atomic.LongAdder[Kind.values().length];
    java.util.Arrays.setAll(t, i -> new java.util.concurrent.atomic.LongAdder());
    return t;
  }

  synchronized int tracked() {
    return windows.size();
  }

  private static String kinds(Window w) {
    StringBuilder s = new StringBuilder();
    for (Kind k : Kind.values()) {
      if (w.counts[k.ordinal()] > 0) {
        s.append(s.length() == 0 ? "" : ", ").append(w.counts[k.ordinal()]).append(' ').append(k.text);
      }
    }
    return s.toString();
  }

  private boolean expired(Window w, long now) {
    return now - w.start >= intervalNanos;
  }

  private static String label(Object key) {
    return key instanceof InetAddress a ? a.getHostAddress() : key.toString();
  }

  private String seconds() {
    double s = intervalNanos / 1e9;
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }
}
