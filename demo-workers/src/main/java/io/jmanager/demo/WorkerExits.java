package io.jmanager.demo;

import io.jmanager.client.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a demo's worker JVMs, so that a demo's verdict covers its workers: each is joined
 * within one bound for all, and each that did not exit 0 is named with its exit code. A worker still
 * running at the bound is killed (and named), so none outlives the demo. Not thread-safe.
 */
final class WorkerExits {
  /** How long a killed worker is given to be gone. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(5);

  private WorkerExits() {}

  /**
   * Waits up to {@code timeout} in all for {@code workers} to exit; returns one line per worker
   * that failed, such as "pipeline worker 2 of 4 (pid 4711) exited with code 1", or an empty list
   * when every one exited with 0.
   *
   * @param role what the workers are, for the lines ("pipeline worker")
   * @throws InterruptedException if interrupted while waiting; the workers are left running
   */
  static List<String> failures(List<WorkerProcess> workers, String role, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      WorkerProcess w = workers.get(i);
      String name = role + " " + (i + 1) + " of " + workers.size() + " (pid " + w.pid() + ")";
      if (!w.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        w.kill();
        w.join(AFTER_KILL);
        failures.add(name + " was still running after " + timeout.toSeconds() + " s: killed");
      } else if (w.exitCode().getAsInt() != 0) {
        failures.add(name + " exited with code " + w.exitCode().getAsInt());
      }
    }
    return failures;
  }
}
