package io.jmanager.client.internal;

import io.jmanager.wire.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one timer thread of a client JVM ({@code jmanager-heartbeat}, a daemon thread started with
 * the first connection): every tick it {@linkplain Connection#tick ticks} each live connection,
 * which pings an idle daemon, reads the answer when no calling thread is reading, and declares the
 * connection lost when the daemon has been silent for its heartbeat timeout. A tick is a quarter of
 * the shortest heartbeat interval seen (at least 20 ms, at most 250 ms), so a silent daemon is
 * noticed well within its timeout plus one second.
 */
final class Heartbeats {
  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** Live connections → {heartbeat interval, heartbeat timeout} in nanoseconds. */
  private static final Map<Connection, long[]> LIVE = new ConcurrentHashMap<>();
  private static volatile long tickNanos = MAX_TICK_NANOS;
  private static volatile Thread thread; // written under Heartbeats.class

  private Heartbeats() {}

  /** Starts watching {@code c} with the heartbeat its daemon announced. */
  static void watch(Connection c) {
    Message.Welcome w = c.welcome();
    long interval = TimeUnit.MILLISECONDS.toNanos(w.heartbeatMillis());
    long timeout = TimeUnit.MILLISECONDS.toNanos(w.heartbeatTimeoutMillis());
    LIVE.put(c, new long[] {interval, timeout});
    synchronized (Heartbeats.class) {
      tickNanos = Math.min(tickNanos, Math.max(MIN_TICK_NANOS, interval / 4));
      if (thread == null) {
        thread = new Thread(Heartbeats::run, "jmanager-heartbeat");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  /** Whether the calling thread is the heartbeat thread. */
  static boolean isHeartbeatThread() {
    return Thread.currentThread() == thread;
  }

  /** Stops watching {@code c} (it is closed or lost). */
  static void forget(Connection c) {
    LIVE.remove(c);
  }

  private static void run() {
    long last = System.nanoTime();
    while (true) {
      LockSupport.parkNanos(tickNanos); // a periodic timer: nothing to wait for but the time
      long now = System.nanoTime();
      // after a pause of this whole JVM (GC, a suspended VM) silence says nothing about the daemon
      boolean late = now - last > 4 * tickNanos + MAX_TICK_NANOS;
      last = now;
      for (Map.Entry<Connection, long[]> e : LIVE.entrySet()) {
        long[] hb = e.getValue();
        try {
          e.getKey().tick(now, hb[0], late ? Long.MAX_VALUE : hb[1]);
        } catch (RuntimeException | Error failure) {
          e.getKey().lost("heartbeat failed: " + failure);
        }
      }
    }
  }
}
