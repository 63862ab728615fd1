package io.jmanager.pool;

import io.jmanager.client.ManagerException;

/**
 * The worker JVM running a task died before the task finished ({@code System.exit}, a kill, an
 * {@code OutOfMemoryError}): the task's outcome is unknown. The pool replaced the worker.
 */
public class WorkerDiedException extends ManagerException {
  /** The task's index in its job. */
  private final long taskIndex;

  /** The worker's exit code, or -1 for a joined worker. */
  private final int exitCode;

  /**
   * Creates the exception for one task of the worker's chunk.
   *
   * @param taskIndex the task's index in its {@code map} (0 for a {@code submit})
   * @param workerPid the dead worker's process id
   * @param exitCode its exit code, or -1 for a worker that joined from elsewhere
   */
  public WorkerDiedException(long taskIndex, long workerPid, int exitCode) {
    super("the worker running task " + taskIndex + " (pid " + workerPid + ") died "
        + (exitCode >= 0 ? "with exit code " + exitCode : "(a joined worker: its connection closed)")
        + " before the task finished" + (exitCode >= 0 ? "; the pool replaced it" : ""));
    this.taskIndex = taskIndex;
    this.exitCode = exitCode;
  }

  /** {@return the task's index in its {@code map} (or 0 for a {@code submit})} */
  public long taskIndex() {
    return taskIndex;
  }

  /**
   * {@return the worker's exit code (137 for SIGKILL, as shells report it); -1 for a worker that
   * joined from elsewhere}
   */
  public int exitCode() {
    return exitCode;
  }
}
