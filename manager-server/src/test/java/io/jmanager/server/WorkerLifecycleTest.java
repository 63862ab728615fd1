package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.WorkerProcess;
import io.jmanager.client.internal.WorkerMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A worker never outlives its parent, and leaves quickly when its own work is done. */
class WorkerLifecycleTest {
  @Test
  void parentKilled_itsWorkerHaltsByItself() throws Exception {
    WorkerProcess parent = WorkerProcess.of(Workers.Spawner.class).redirectOutput(Redirect.PIPE)
        .jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start();
    ProcessHandle child = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(parent.process().getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("child "), String.valueOf(line));
      child = ProcessHandle.of(Long.parseLong(line.substring("child ".length()))).orElseThrow();
      assertTrue(child.isAlive());
      parent.kill(); // SIGKILL: no shutdown hook of the parent runs
      assertTrue(parent.join(Duration.ofSeconds(10)));
      ProcessHandle orphan = child;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive()); // it halts by itself
    } finally {
      parent.kill();
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void parentKilled_itsManagerProcessDaemonStops() throws Exception {
    WorkerProcess parent = WorkerProcess.of(Workers.DaemonSpawner.class).redirectOutput(Redirect.PIPE)
        .jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start();
    ProcessHandle daemon = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(parent.process().getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("daemon ")) {
        // the daemon's own start-up lines pass through first
      }
      assertTrue(line != null, "the spawner printed its daemon's pid");
      daemon = ProcessHandle.of(Long.parseLong(line.substring("daemon ".length()))).orElseThrow();
      parent.kill();
      assertTrue(parent.join(Duration.ofSeconds(10)));
      ProcessHandle orphan = daemon;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive()); // it stops by itself
    } finally {
      parent.kill();
      if (daemon != null) {
        daemon.destroyForcibly();
      }
    }
  }

  @Test
  void workerExitCode_isItsMains() throws Exception {
    WorkerProcess w = WorkerProcess.of(Workers.Sleeper.class).jvmArgs("-Xmx64m").start();
    try {
      assertTrue(w.isAlive());
      w.terminate();
      assertTrue(w.join(Duration.ofSeconds(10)));
      assertEquals(143, w.exitCode().getAsInt());
      assertEquals(143, WorkerMain.ORPHANED, "an orphan exits as if terminated");
    } finally {
      w.kill();
    }
  }
}
