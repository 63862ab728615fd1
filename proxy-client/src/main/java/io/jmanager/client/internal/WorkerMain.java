package io.jmanager.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every {@link io.jmanager.client.WorkerProcess} child: watches the pipe from the
 * parent and exits when it closes (so a worker never outlives a parent that was killed), then runs
 * the worker's own {@code main}.
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

  private static void watchParent() {
    try (InputStream in = System.in) {
      while (in.read() >= 0) {
        // the parent writes nothing; EOF means it is gone
      }
    } catch (IOException e) {
      // treated as EOF
    }
    Runtime.getRuntime().halt(ORPHANED);
  }
}
