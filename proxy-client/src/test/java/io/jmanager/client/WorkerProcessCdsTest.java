package io.jmanager.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.internal.ClassDataSharing;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers and class-data sharing, end to end. JDK 17 archives classes from jars only, and
 * surefire's classpath starts with class directories; so the parent JVM here is a {@link Launcher}
 * on this test's classpath with every directory jarred, as {@code bin/jmanager} runs on jars, and
 * it starts one worker with {@link WorkerProcess}. Every JVM a test starts is gone when it ends.
 */
class WorkerProcessCdsTest {
  @TempDir static Path jars;
  static String jarClasspath;

  @TempDir Path cdsDir;
  @TempDir Path tmp;
  final List<Process> launchers = new ArrayList<>();

  @BeforeAll
  static void jarTheClasspath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      boolean dir = Files.isDirectory(path);
      entries.add(dir ? jar(path, jars.resolve(entries.size() + ".jar")) : entry);
    }
    jarClasspath = String.join(File.pathSeparator, entries);
  }

  @AfterEach
  void killLeftovers() {
    for (Process launcher : launchers) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  @Test
  void firstWorkerCreatesTheArchive_laterWorkersMapIt_andNeitherPrintsAnything() throws Exception {
    Run first = run(List.of(), Reflective.class);
    assertEquals(new Run(0, "", ""), first);
    Set<String> files = files();
    assertEquals(1, files.size(), "one archive and nothing else: " + files);
    assertTrue(files.iterator().next().endsWith(".jsa"), files::toString);

    Path loaded = tmp.resolve("class-load.log");
    Run second = run(List.of(), Reflective.class, "-Xlog:class+load=info:file=" + loaded);
    assertEquals(new Run(0, "", ""), second);
    String log = Files.readString(loaded);
    assertTrue(log.contains(Reflective.class.getName() + " source: shared objects file (top)"),
        "the worker's own class comes from the dynamic archive");
    assertEquals(files, files());
  }

  @Test
  void creatorFailing_leavesNoArchiveNorLockNorDump() throws Exception {
    assertEquals(3, run(List.of(), Fails.class).exit());
    assertEquals(Set.of(), files());
  }

  @Test
  void creatorKilled_leavesNoArchive_andTheNextWorkerCreatesIt() throws Exception {
    Process launcher = launch(List.of(), Sleeps.class);
    // the worker's own word: a child process seen earlier may still be the JDK's spawn helper
    await().atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(tmp.resolve("out")).contains(Sleeps.STARTED));
    launcher.children().forEach(ProcessHandle::destroyForcibly);
    assertTrue(launcher.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, launcher.exitValue());
    assertEquals(Set.of(), files());

    assertEquals(0, run(List.of(), Reflective.class).exit());
    assertEquals(1, files().size(), files()::toString);
  }

  @Test
  void propertyOff_and_builderOff_createNoArchive() throws Exception {
    assertEquals(0, run(List.of("-D" + ClassDataSharing.ENABLED_PROPERTY + "=false"),
        Reflective.class).exit());
    assertEquals(0, run(List.of(), Launcher.NO_CDS, Reflective.class.getName()).exit());
    assertEquals(Set.of(), files());
  }

  @Test
  void classDirectoriesOnTheClasspath_workerRunsWithoutArchive_andPrintsNothing() throws Exception {
    System.setProperty(ClassDataSharing.DIR_PROPERTY, cdsDir.toString());
    try {
      WorkerProcess w = WorkerProcess.of(Reflective.class)
          .redirectOutput(Redirect.PIPE).redirectError(Redirect.PIPE).start();
      try {
        assertTrue(w.join(Duration.ofSeconds(60)));
        assertEquals(0, w.exitCode().getAsInt());
        assertEquals("", new String(w.process().getInputStream().readAllBytes()));
        assertEquals("", new String(w.process().getErrorStream().readAllBytes()));
      } finally {
        w.kill();
      }
    } finally {
      System.clearProperty(ClassDataSharing.DIR_PROPERTY);
    }
    assertEquals(Set.of(), files());
  }

  /** A launcher's exit status and everything it and its worker printed. */
  record Run(int exit, String out, String err) {}

  /** Runs a launcher with {@code launcherOptions}, for {@code main} with worker options. */
  private Run run(List<String> launcherOptions, Class<?> main, String... workerOptions)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(main.getName()));
    args.addAll(List.of(workerOptions));
    return run(launcherOptions, args.toArray(String[]::new));
  }

  private Run run(List<String> launcherOptions, String... launcherArgs) throws Exception {
    Process launcher = launch(launcherOptions, launcherArgs);
    assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "launcher finished");
    return new Run(launcher.exitValue(), Files.readString(tmp.resolve("out")),
        Files.readString(tmp.resolve("err")));
  }

  private Process launch(List<String> launcherOptions, Class<?> main) throws IOException {
    return launch(launcherOptions, main.getName());
  }

  private Process launch(List<String> launcherOptions, String... launcherArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-D" + ClassDataSharing.DIR_PROPERTY + "=" + cdsDir);
    cmd.addAll(launcherOptions);
    cmd.addAll(List.of("-cp", jarClasspath, Launcher.class.getName()));
    cmd.addAll(Arrays.asList(launcherArgs));
    Process launcher = new ProcessBuilder(cmd)
        .redirectOutput(tmp.resolve("out").toFile())
        .redirectError(tmp.resolve("err").toFile())
        .start();
    launchers.add(launcher);
    return launcher;
  }

  private Set<String> files() throws IOException {
    try (Stream<Path> files = Files.list(cdsDir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static String jar(Path dir, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> tree = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) tree.filter(Files::isRegularFile)::iterator) {
        String name = dir.relativize(p).toString().replace(File.separatorChar, '/');
        out.putNextEntry(new JarEntry(name));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
    return jar.toString();
  }

  /**
   * The parent JVM: {@code [--no-cds] <main class> [worker JVM options...]} starts that worker
   * and exits with its status.
   */
  public static final class Launcher {
    static final String NO_CDS = "--no-cds";

    public static void main(String[] args) throws Exception {
      boolean cds = !args[0].equals(NO_CDS);
      int first = cds ? 0 : 1;
      WorkerProcess w = WorkerProcess.of(Class.forName(args[first]))
          .classDataSharing(cds)
          .jvmArgs(Arrays.copyOfRange(args, first + 1, args.length))
          .start();
      System.exit(w.join());
    }
  }

  /**
   * Prints nothing itself, but its reflective calls make JDK 17 generate accessor classes of class
   * file version 49, which a dump skips with a warning on stdout unless CDS logging is off.
   */
  public static final class Reflective {
    public static void main(String[] args) throws Exception {
      for (int i = 0; i < 20; i++) {
        Reflective.class.getDeclaredConstructor().newInstance();
      }
    }
  }

  /** Fails. */
  public static final class Fails {
    public static void main(String[] args) {
      System.exit(3);
    }
  }

  /** Says it started, then runs until killed. */
  public static final class Sleeps {
    static final String STARTED = "started";

    public static void main(String[] args) throws InterruptedException {
      System.out.println(STARTED);
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
