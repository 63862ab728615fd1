package io.jmanager.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jmanager.client.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What the demos and the bench learn of their workers' ends: each failure named, no wait unbounded. */
class WorkerExitsTest {
  /** A worker that exits with the code it is given. */
  public static final class ExitWith {
    public static void main(String[] args) {
      System.exit(Integer.parseInt(args[0]));
    }
  }

  /** A worker that never ends by itself. */
  public static final class Hangs {
    public static void main(String[] args) throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  @Test
  void aWorkerThatFailed_isNamedWithItsExitCode_andOnlyIt() throws Exception {
    List<WorkerProcess> workers =
        List.of(WorkerProcess.of(ExitWith.class, "0").start(), WorkerProcess.of(ExitWith.class, "3").start());
    try {
      List<String> failures = WorkerExits.failures(workers, "test worker", Duration.ofSeconds(60));
      assertEquals(List.of("test worker 2 of 2 (pid " + workers.get(1).pid() + ") exited with code 3"), failures);
    } finally {
      killLive(workers);
    }
  }

  @Test
  void aWorkerStillRunningAtTheBound_isKilledAndNamed() throws Exception {
    WorkerProcess hung = WorkerProcess.of(Hangs.class).start();
    try {
      List<String> failures = WorkerExits.failures(List.of(hung), "test worker", Duration.ofSeconds(1));
      assertEquals(List.of("test worker 1 of 1 (pid " + hung.pid() + ") was still running after 1 s: killed"), failures);
      assertFalse(hung.isAlive());
    } finally {
      killLive(List.of(hung));
    }
  }

  private static void killLive(List<WorkerProcess> workers) throws InterruptedException {
    for (WorkerProcess w : workers) {
      if (w.isAlive()) {
        w.kill();
        w.join(Duration.ofSeconds(5));
      }
    }
  }
}
