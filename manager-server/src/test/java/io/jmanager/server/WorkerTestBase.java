package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jmanager.client.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Tests that start worker JVMs against the class's daemon; none outlives its test. */
abstract class WorkerTestBase extends DaemonTestBase {
  final List<WorkerProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(w -> {
      if (w.isAlive()) {
        w.kill();
      }
    });
    started.clear();
  }

  WorkerProcess worker(Class<?> main, String... args) {
    WorkerProcess w = WorkerProcess.of(main, args).manager(m).jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1");
    started.add(w);
    return w.start();
  }

  void joinAll(int expectedExit) throws InterruptedException {
    for (WorkerProcess w : started) {
      assertEquals(expectedExit, exitOf(w), w + " exit code");
    }
  }

  /** {@code w}'s exit code once it has exited; fails if it runs on for 120 s. */
  static int exitOf(WorkerProcess w) throws InterruptedException {
    if (!w.join(Duration.ofSeconds(120))) {
      throw new AssertionError(w + " did not finish within 120 s");
    }
    return w.exitCode().getAsInt();
  }
}
