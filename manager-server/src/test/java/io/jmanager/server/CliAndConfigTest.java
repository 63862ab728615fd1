package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.CallTimeoutException;
import io.jmanager.client.Manager;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Authkeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, the config file, the authkey file, timeouts and worker termination. */
class CliAndConfigTest {

  @Test
  void missingAuthkeyFile_isCreatedWith32RandomBytesMode0600(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys").resolve("authkey");
    byte[] key = Authkeys.loadOrCreate(file);
    assertEquals(32, key.length);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(Authkeys.hex(key), Authkeys.hex(Authkeys.loadOrCreate(file))); // read back, not replaced
  }

  @Test
  void authkeyFileReadableByOthers_isRefused_withTheChmodToRun(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("authkey");
    Files.write(file, Authkeys.random());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    io.jmanager.client.AuthenticationException e =
        assertThrows(io.jmanager.client.AuthenticationException.class, () -> Authkeys.read(file));
    assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
    // the daemon refuses to start on it, and a client refuses to use it
    assertThrows(io.jmanager.client.AuthenticationException.class,
        () -> ManagerServer.builder().bind("127.0.0.1").port(0).unixPath("off").authkeyFile(file).start());
    assertThrows(io.jmanager.client.AuthenticationException.class,
        () -> io.jmanager.client.Manager.builder().address("127.0.0.1:1").authkeyFile(file).connect());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals(32, Authkeys.read(file).length);
  }

  @Test
  void configFile_unknownKeyAndBadValues_areClearErrors(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("bad.properties");
    Files.writeString(cfg, "prot=5000\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(cfg));
    assertTrue(e.getMessage().contains("prot") && e.getMessage().contains("unknown key"), e.getMessage());
    Files.writeString(cfg, "heartbeat.timeout=soon\n");
    e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(cfg));
    assertTrue(e.getMessage().contains("heartbeat.timeout"), e.getMessage());
  }

  @Test
  void shippedConfig_loadsAndDocumentsEveryKey() throws Exception {
    Path shipped = Path.of("..", "config", "manager.properties");
    ServerConfig c = ServerConfig.load(shipped);
    assertEquals(50000, c.port);
    String text = Files.readString(shipped);
    for (String key : ServerConfig.KEYS) {
      assertTrue(text.contains(key), "config/manager.properties documents " + key);
    }
  }

  @Test
  void statusAndShutdown_againstARunningDaemon(@TempDir Path dir) throws Exception {
    try (ManagerProcess daemon = ManagerProcess.start()) {
      Path key = Files.createFile(dir.resolve("authkey"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(key, daemon.authkey());
      String address = daemon.address().getHostString() + ":" + daemon.address().getPort();
      try (Manager m = daemon.connect()) {
        m.dict("visible").put("k", 1);
        m.lock("held").lock();
        String status = run("status", "--address", address, "--authkey-file", key.toString());
        assertTrue(status.contains("visible") && status.contains("dict"), status);
        assertTrue(status.matches("(?s).*held\\s+lock.*held by session \\d+ \\(pid \\d+, thread \\d+\\) for .*"), status);
        assertTrue(status.contains("sessions (2)"), status);
        run("shutdown", "--address", address, "--authkey-file", key.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !daemon.isAlive());
      }
    }
  }

  @Test
  void everyCommandsVersionOption_printsTheVersion() {
    java.util.List<String> commands = new java.util.ArrayList<>(Main.commandLine(new Main()).getSubcommands().keySet());
    assertTrue(commands.containsAll(java.util.List.of("server", "status", "shutdown", "journal")), commands.toString());
    assertEquals("jmanager " + ManagerServer.VERSION, run("--version").strip());
    for (String command : commands) {
      assertEquals("jmanager " + ManagerServer.VERSION, run(command, "-V").strip(), command);
    }
    assertEquals("jmanager " + ManagerServer.VERSION, run("journal", "truncate", "-V").strip());
  }

  private static String run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.commandLine(new Main()).execute(args));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /**
   * The call timeout of this connection: long enough that every ordinary call (the handshake,
   * binding a proxy) is answered well within it on a loaded machine, so only the stalled call can
   * time out.
   */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void callTimeout_failsAStalledCall_notEarly_connectionStaysUsable() throws Exception {
    Sleepy.gate = new java.util.concurrent.CountDownLatch(1);
    try (TestDaemon daemon = new TestDaemon(b -> b.register("sleepy", Greeter.class, Sleepy::new));
        Manager m = Manager.builder().address(daemon.server.address()).authkey(daemon.authkey)
            .callTimeout(CALL_TIMEOUT).connect()) {
      Greeter g = m.proxy("sleepy", "z", Greeter.class);
      long start = System.nanoTime();
      CallTimeoutException e = assertThrows(CallTimeoutException.class, () -> g.greet("stalled"));
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs >= CALL_TIMEOUT.toMillis() - 50, "timed out after " + waitedMs + " ms: " + e.getMessage());
      Sleepy.gate.countDown(); // the stalled call now finishes on the daemon; its late answer is dropped
      m.dict("after-timeout").put("k", "v"); // the connection is still usable, and answers stay matched
      assertEquals("v", m.dict("after-timeout").get("k"));
      assertEquals(7, m.proxy("sleepy", "other", Greeter.class).count());
      assertEquals("on time", g.greet("on time"));
    } finally {
      Sleepy.gate.countDown();
    }
  }

  /** A user type whose greet waits at {@link #gate} (in the daemon: this JVM) until the test opens it. */
  public static final class Sleepy implements Greeter {
    static volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

    @Override
    public String greet(String who) {
      try {
        if (!gate.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return who;
    }

    @Override
    public int count() {
      return 7;
    }

    @Override
    public String servedBy() {
      return Thread.currentThread().getName();
    }
  }

  @Test
  void workerTerminateAndKill_reportExitCodes() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      WorkerProcess a = WorkerProcess.of(Sleeper.class).manager(daemon.connect()).start();
      WorkerProcess b = WorkerProcess.of(Sleeper.class).manager(daemon.connect()).start();
      assertTrue(a.isAlive());
      a.terminate();
      b.kill();
      assertTrue(a.join(Duration.ofSeconds(10)) && b.join(Duration.ofSeconds(10)));
      assertEquals(143, a.exitCode().getAsInt());
      assertEquals(137, b.exitCode().getAsInt());
      assertTrue(a.pid() > 0 && a.pid() != b.pid());
    }
  }

  /** A worker that waits to be stopped. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(60_000);
    }
  }
}
