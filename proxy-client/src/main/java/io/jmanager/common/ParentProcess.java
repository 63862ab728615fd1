package io.jmanager.common;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a child JVM (a worker, or a daemon started by {@code ManagerProcess}) notices that the JVM
 * that started it is gone. The parent names itself in {@value #ENV} as {@code pid:startMillis}, so
 * a reused pid is not mistaken for it and a parent that died before the child got going is noticed
 * at once; the child polls it five times a second. Polling, rather than waiting for EOF on a pipe
 * from the parent: a thread blocked in a native read would hold up every exit of the child by 300
 * ms, the time HotSpot gives threads in native code to stop.
 */
public final class ParentProcess {
  /** The environment variable the parent names itself in. */
  public static final String ENV = "JMANAGER_PARENT";

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private ParentProcess() {}

  /**
   * {@return this JVM as a parent names itself to a child in {@value #ENV}:
   * {@code pid:startMillis}}
   */
  public static String token() {
    ProcessHandle self = ProcessHandle.current();
    return self.pid() + ":" + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * Runs {@code onGone} on a daemon thread named {@code jmanager-parent-watch} once the parent
   * named in {@value #ENV} (or, without it, the operating system's parent) is gone. Returns at
   * once.
   *
   * @param onGone what to do then, typically exit this JVM
   */
  public static void watch(Runnable onGone) {
    Thread t = new Thread(() -> {
      ProcessHandle parent = parent(System.getenv(ENV));
      while (parent != null && parent.isAlive()) {
        LockSupport.parkNanos(POLL_NANOS); // a periodic check: there is nothing to wait on
      }
      onGone.run();
    }, "jmanager-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  /** The process {@code pidAndStart} names, or null if it is gone; without one, the OS parent. */
  private static ProcessHandle parent(String pidAndStart) {
    if (pidAndStart == null || !pidAndStart.matches("\\d+:\\d+")) {
      return ProcessHandle.current().parent().orElse(null);
    }
    String[] parts = pidAndStart.split(":");
    long startMillis = Long.parseLong(parts[1]);
    return ProcessHandle.of(Long.parseLong(parts[0]))
        .filter(p -> startMillis == 0 || p.info().startInstant().map(i -> sameStart(startMillis, i.toEpochMilli())).orElse(true))
        .orElse(null);
  }

  /**
   * Whether two readings of a process's start time, in two JVMs, name the same start. Linux gives
   * a start in clock ticks since boot; each JVM adds the boot time it read once, in whole seconds,
   * from /proc/stat, where the kernel derives it from the wall clock: an adjusted clock moves it by
   * a second. So a parent that has run a while reads its own start a second away from the one its
   * newer children read, and they must not take it for dead. A reused pid starts far later: it
   * comes round only after the parent has died and some tens of thousands of other processes.
   */
  static boolean sameStart(long namedMillis, long readMillis) {
    return Math.abs(namedMillis - readMillis) <= 1_500;
  }
}
