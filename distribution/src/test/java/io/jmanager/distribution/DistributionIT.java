package io.jmanager.distribution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as a user gets it: unpacked with {@code tar}, its {@code bin/jmanager}
 * runs the daemon, {@code status} and {@code shutdown} with no Maven on the PATH (a stand-in
 * {@code mvn} there records any call), from other directories and through a symlink found on the
 * PATH, and writes nothing into the installation.
 */
class DistributionIT {
  private static final String VERSION = System.getProperty("jmanager.dist.version");
  private static final Path ARCHIVE = Path.of(System.getProperty("jmanager.dist.archive"));
  /** What the launcher runs besides java (bash's builtins aside); env is its shebang's, by path. */
  private static final List<String> TOOLS = List.of(
      "bash", "basename", "cat", "cksum", "cut", "dirname", "find", "mkdir", "readlink", "rm", "sed", "tail", "touch");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path root;
  private static Path install;
  private static Path tools;
  private static Path mavenCalled;
  /** A link to the installed launcher in a folder of the PATH, as in ln -s /opt/jmanager/bin/jmanager ~/bin/. */
  private static Path onPathLink;
  private static SortedMap<String, Long> installedFiles;

  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void unpackTheArchive() throws Exception {
    Path unpacked = Files.createDirectories(root.resolve("opt"));
    Result tar = exec(new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", unpacked.toString()));
    assertEquals(0, tar.exit, "tar -xzf " + ARCHIVE + ": " + tar.err);
    install = unpacked.resolve("jmanager-" + VERSION);
    // as an administrator would: the installation's own config points the daemon at a state folder
    Path state = root.resolve("state");
    Files.writeString(install.resolve("config/manager.properties"),
        "\n# test\nauthkey.file=" + state.resolve("authkey") + "\nunix.path=" + state.resolve("jmanager.sock")
            + "\nheap=256m\n",
        StandardOpenOption.APPEND);
    installedFiles = listing(install);
    tools = Files.createDirectories(root.resolve("tools"));
    for (String tool : TOOLS) {
      Files.createSymbolicLink(tools.resolve(tool), onPath(tool));
    }
    Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    mavenCalled = root.resolve("mvn-was-called");
    Path mvn = tools.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\necho \"$@\" >> '" + mavenCalled + "'\nexit 1\n");
    assertTrue(mvn.toFile().setExecutable(true));
    onPathLink = Files.createDirectories(root.resolve("bin")).resolve("jmanager");
    Files.createSymbolicLink(onPathLink, install.resolve("bin/jmanager"));
  }

  /** The links to the system's tools go first, so that the temp folder's cleanup has none to warn about. */
  @AfterAll
  static void removeToolLinks() throws IOException {
    if (tools == null) {
      return; // the archive did not unpack
    }
    try (Stream<Path> links = Files.list(tools)) {
      for (Path link : (Iterable<Path>) links::iterator) {
        Files.delete(link);
      }
    }
  }

  @AfterEach
  void killEveryProcessStarted() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("process " + p.pid() + " did not exit after SIGKILL", e);
      }
    }
  }

  @Test
  void archive_holdsAnExecutableLauncher_everyRuntimeJar_configAndServiceFiles() throws Exception {
    Result list = exec(new ProcessBuilder("tar", "-tvzf", ARCHIVE.toString()));
    assertEquals(0, list.exit, list.err);
    String top = "jmanager-" + VERSION + "/";
    assertTrue(Pattern.compile("(?m)^-rwxr-xr-x .* " + Pattern.quote(top + "bin/jmanager") + "$").matcher(list.out).find(),
        "bin/jmanager is mode 0755 in the archive:\n" + list.out);
    for (String jar : List.of("demo-workers-", "manager-server-", "proxy-client-", "logback-classic-", "picocli-",
        "HdrHistogram-", "kryo-", "netty-")) {
      assertTrue(list.out.contains(top + "lib/" + jar), "lib/ holds " + jar + "*.jar");
    }
    for (String file : List.of("config/manager.properties", "config/logback.xml", "README.md", "VERSION",
        "packaging/Dockerfile", "packaging/jmanager.service")) {
      assertTrue(list.out.contains(top + file), "the archive holds " + file);
    }
    assertFalse(list.out.contains("pom.xml"), "an installation has no pom.xml: the launcher would build");
  }

  @Test
  void version_runsFromTheArchive() throws Exception {
    Result version = run(root, install.resolve("bin/jmanager").toString(), "--version");

    assertEquals(0, version.exit, version.err);
    assertEquals("jmanager " + VERSION.replace("-SNAPSHOT", ""), version.out.strip());
    assertNothingBuiltOrWritten();
  }

  @Test
  void serverStatusShutdown_runFromTheArchive_throughASymlinkOnThePath_withoutMaven() throws Exception {
    Path work = Files.createDirectories(root.resolve("work"));
    Path runFile = root.resolve("state/daemon.json");

    Process server = start(work, work.resolve("server.out"), work.resolve("server.err"),
        onPathLink.toString(), "server", "--port", "0");
    await("the daemon's run file").atMost(COMMAND_TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(runFile) || !server.isAlive());
    assertTrue(server.isAlive(), () -> "the daemon exited: " + read(work.resolve("server.err")));
    String listening = read(work.resolve("server.out"));
    Matcher port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(listening);
    assertTrue(port.find(), listening);

    Result status = run(work, tools.resolve("bash").toString(), "-c", "exec jmanager status"); // found on the PATH
    assertEquals(0, status.exit, status.err);
    assertTrue(status.out.startsWith("jmanager " + VERSION.replace("-SNAPSHOT", "") + " at 127.0.0.1:" + port.group(1)),
        status.out);
    assertTrue(status.out.contains("(pid " + server.pid() + ")"), status.out);
    assertTrue(status.out.contains("heap 256.0 MB"), "the daemon got the installation's heap: " + status.out);

    Result shutdown = run(root, install.resolve("bin/jmanager").toString(), "shutdown");
    assertEquals(0, shutdown.exit, shutdown.err);
    assertTrue(shutdown.out.contains("asked the daemon at"), shutdown.out);
    assertTrue(server.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the daemon exits after shutdown");
    assertEquals(0, server.exitValue(), read(work.resolve("server.err")));
    assertTrue(read(work.resolve("server.out")).contains("jmanager daemon stopped"));
    assertFalse(Files.exists(runFile), "the daemon removes its run file");

    assertTrue(Files.isDirectory(root.resolve("home/.cache/jmanager/" + VERSION + "/cds")),
        "AppCDS archives go to the user's cache");
    assertNothingBuiltOrWritten();
  }

  /** No Maven ran, and the installation holds exactly what was unpacked (no target/, no build.log, no archive). */
  private static void assertNothingBuiltOrWritten() throws IOException {
    assertFalse(Files.exists(mavenCalled), () -> "the launcher ran mvn " + read(mavenCalled));
    assertEquals(installedFiles, listing(install), "the installation is unchanged");
  }

  /** Runs the launcher to its end, within {@link #COMMAND_TIMEOUT}. */
  private Result run(Path dir, String... command) throws Exception {
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    Process p = start(dir, out, err, command);
    if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      fail(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT + ": " + read(err));
    }
    return new Result(p.exitValue(), read(out), read(err));
  }

  private Process start(Path dir, Path out, Path err, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.clear(); // no JAVA_TOOL_OPTIONS, no XDG_CACHE_HOME, no JMANAGER_AUTHKEY of the build's
    env.put("PATH", tools + File.pathSeparator + onPathLink.getParent());
    env.put("HOME", Files.createDirectories(root.resolve("home")).toString());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private static Result exec(ProcessBuilder pb) throws Exception {
    Path out = Files.createTempFile("dist-it", ".out");
    Path err = Files.createTempFile("dist-it", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        fail(pb.command() + " did not finish within " + COMMAND_TIMEOUT);
      }
      return new Result(p.exitValue(), read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Path onPath(String tool) {
    Optional<Path> found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
    return found.orElseThrow(() -> new AssertionError(tool + " is not on the PATH: the launcher needs it"));
  }

  private static SortedMap<String, Long> listing(Path dir) throws IOException {
    SortedMap<String, Long> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        files.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? Files.size(p) : -1L);
      }
    }
    return files;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int exit, String out, String err) {}
}
