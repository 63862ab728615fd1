package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.WorkerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A child JVM never outlives the JVM that started it. */
class WorkerLifecycleTest {
  @Test
  void parentKilled_itsWorkerHaltsByItself() throws Exception {
    killParentAndAwaitChild(Workers.Spawner.class, "child ");
  }

  @Test
  void parentKilled_itsManagerProcessDaemonStops() throws Exception {
    killParentAndAwaitChild(Workers.DaemonSpawner.class, "daemon ");
  }

  @Test
  void terminatedWorker_exitsWith143() throws Exception {
    WorkerProcess w = WorkerProcess.of(Workers.Sleeper.class).jvmArgs("-Xmx64m").start();
    try {
      assertTrue(w.isAlive());
      w.terminate();
      assertTrue(w.join(Duration.ofSeconds(10)));
      assertEquals(143, w.exitCode().getAsInt());
    } finally {
      w.kill();
    }
  }

  /**
   * Starts {@code spawner} (which starts a child JVM and prints {@code prefix + pid}), kills it with
   * SIGKILL (so none of its shutdown hooks run), and waits for the orphaned child to end by itself.
   */
  private static void killParentAndAwaitChild(Class<?> spawner, String prefix) throws Exception {
    WorkerProcess parent = WorkerProcess.of(spawner).redirectOutput(Redirect.PIPE)
        .jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start();
    ProcessHandle child = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(parent.process().getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(prefix)) {
        // a daemon's own start-up lines pass through first
      }
      assertNotNull(line, "the parent printed its child's pid");
      child = ProcessHandle.of(Long.parseLong(line.substring(prefix.length()))).orElseThrow();
      parent.kill();
      assertTrue(parent.join(Duration.ofSeconds(10)));
      ProcessHandle orphan = child;
      await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());
    } finally {
      parent.kill();
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }
}
