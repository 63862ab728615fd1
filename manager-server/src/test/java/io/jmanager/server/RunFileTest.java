package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.common.Authkeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon started by {@code jmanager server} writes its run file beside its authkey, so that
 * {@code status} and {@code shutdown} find it without {@code --address} (here: started with
 * {@code --port 0}), and removes it when it stops.
 */
class RunFileTest {
  @Test
  void statusAndShutdown_findADaemonStartedWithPortZero_byItsRunFile(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("authkey");
    Files.write(key, Authkeys.random());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path runFile = dir.resolve(RunFile.NAME);
    Process daemon = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "server", "--bind", "127.0.0.1", "--port", "0", "--authkey-file", key.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> RunFile.live(runFile).isPresent());
      RunFile.Entry entry = RunFile.live(runFile).orElseThrow();
      assertEquals(daemon.pid(), entry.pid());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runFile)));
      assertTrue(!entry.address().endsWith(":0") && !entry.address().endsWith(":50000"), entry.address());

      String status = run("status", "--authkey-file", key.toString());
      assertTrue(status.contains("(pid " + daemon.pid() + ")"), status);
      String shutdown = run("shutdown", "--authkey-file", key.toString());
      assertTrue(shutdown.contains("asked the daemon at"), shutdown);
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon stopped");
      assertTrue(!Files.exists(runFile), "its run file went with it");
    } finally {
      daemon.destroyForcibly();
    }
  }

  @Test
  void aRunFileOfADeadDaemon_isIgnored(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path runFile = dir.resolve(RunFile.NAME);
    Files.writeString(runFile, "{\"pid\": " + gone.pid() + ", \"address\": \"127.0.0.1:1\", \"unix\": null, \"python\": null}");
    assertTrue(RunFile.read(runFile).isPresent());
    assertTrue(RunFile.live(runFile).isEmpty());
  }

  private static String run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.commandLine(new Main()).execute(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
