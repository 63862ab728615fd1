package io.jmanager.client.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Entry point of every {@link io.jmanager.client.WorkerProcess} child: watches the parent process
 * and halts when it is gone (so a worker never outlives a parent that was killed), then runs the
 * worker's own {@code main}.
 */
public final class WorkerMain {
  /** Exit code of a worker whose parent disappeared. */
  public static final int ORPHANED = 143;

  private WorkerMain() {}

  public static void main(String[] args) throws Throwable {
    Thread watcher = new Thread(WorkerMain::watchParent, "jmanager-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Halts this JVM soon after its parent is gone. The parent names itself in {@value #PARENT_ENV}
   * ({@code pid:startMillis}, so a reused pid is not mistaken for it, and a parent that died before
   * this JVM got here is noticed at once). It is polled rather than watched through EOF on a pipe:
   * a thread blocked in a native read would hold up every exit of this JVM by 300 ms, the time
   * HotSpot gives threads in native code to stop.
   */
  private static void watchParent() {
    ProcessHandle parent = parent(System.getenv(PARENT_ENV));
    while (parent != null && parent.isAlive()) {
      LockSupport.parkNanos(PARENT_POLL_NANOS); // a periodic check: there is nothing to wait on
    }
    Runtime.getRuntime().halt(ORPHANED);
  }

  /** The process {@code pidAndStart} names, or null if it is gone; without one, the OS parent. */
  private static ProcessHandle parent(String pidAndStart) {
    if (pidAndStart == null || !pidAndStart.matches("\\d+:\\d+")) {
      return ProcessHandle.current().parent().orElse(null);
    }
    String[] parts = pidAndStart.split(":");
    long startMillis = Long.parseLong(parts[1]);
    return ProcessHandle.of(Long.parseLong(parts[0]))
        .filter(p -> startMillis == 0 || p.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(true))
        .orElse(null);
  }

  /** How a parent names itself to its worker: {@code pid:startMillis}. */
  public static String parentToken() {
    ProcessHandle self = ProcessHandle.current();
    return self.pid() + ":" + self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  /** The variable {@link io.jmanager.client.WorkerProcess} names the parent in. */
  public static final String PARENT_ENV = "JMANAGER_PARENT";

  private static final long PARENT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
}
