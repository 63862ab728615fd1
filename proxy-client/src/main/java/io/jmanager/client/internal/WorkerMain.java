package io.jmanager.client.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import io.jmanager.common.ParentProcess;
import java.util.Arrays;

/**
 * Entry point of every {@link io.jmanager.client.WorkerProcess} child: watches the parent process
 * ({@link ParentProcess}) and halts when it is gone, so a worker never outlives a parent that was
 * killed; then runs the worker's own {@code main}.
 */
public final class WorkerMain {
  /** Exit code of a worker whose parent disappeared. */
  public static final int ORPHANED = 143;

  private WorkerMain() {}

  public static void main(String[] args) throws Throwable {
    ParentProcess.watch(() -> Runtime.getRuntime().halt(ORPHANED));
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
