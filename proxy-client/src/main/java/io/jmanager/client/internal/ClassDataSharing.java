package io.jmanager.client.internal;

import io.jmanager.client.internal.CdsClasspath.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker JVMs start faster from a dynamic application class-data sharing (AppCDS) archive: the
 * classes a worker loads come mapped from one file instead of being read from jars, parsed and
 * verified again. {@link io.jmanager.client.WorkerProcess} asks for one plan per launch: {@link
 * #forWorker}, then {@link #jvmOptions()} in the command and {@link #start} to launch it.
 *
 * <p>Archives live in {@code ~/.jmanager/cds} (created with mode 0700), or in the directory named
 * by the system property {@value #DIR_PROPERTY}. One archive per JDK and classpath state (see
 * {@link CdsClasspath#key}). The first worker launched for a key creates it: that launch takes the
 * key's lock file and runs with {@code -XX:ArchiveClassesAtExit=<temporary file>}; when the worker
 * exits with status 0 this JVM renames the dump into place (from {@link Process#onExit()}, or from
 * a shutdown hook if this JVM exits first) and deletes the archives of older states of the same
 * classpath. A worker that fails or is killed leaves no archive. Workers launched meanwhile run
 * without one; later ones run with {@code -XX:SharedArchiveFile=<archive>}.
 *
 * <p>Class-data sharing never makes a worker fail or print: every option list starts with {@code
 * -Xshare:auto -Xlog:cds*=off}, so a missing, stale or corrupt archive is silently not mapped, and
 * the dump's notes on classes it skips stay off stdout. The JVM's own fatal errors still print.
 * The options go before the caller's JVM options, which therefore win. A worker runs without an
 * archive when the system property {@value #ENABLED_PROPERTY} is {@code false}; when this JVM runs
 * without class-data sharing itself (the JDK may have no base archive, and a dump needs one); when
 * the classpath holds a non-empty directory, such as Maven's {@code target/classes} (JDK 17 can
 * neither dump nor map an archive for it, see {@link CdsClasspath}); and when its JVM options, or
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or {@code _JAVA_OPTIONS}, hold an option
 * that stops the dump or conflicts with it (see {@link #conflicts}).
 *
 * <p>Thread-safe. Failures to use the archive directory are logged at debug level; the worker then
 * runs without an archive.
 */
public final class ClassDataSharing {
  /** System property; {@code false} turns archives off for the workers this JVM launches. */
  public static final String ENABLED_PROPERTY = "jmanager.cds";
  /** System property: the archive directory, instead of {@code ~/.jmanager/cds}. */
  public static final String DIR_PROPERTY = "jmanager.cds.dir";

  /** Looked up only when there is something to log: the client initializes no logging otherwise. */
  private static Logger log() {
    return LoggerFactory.getLogger(ClassDataSharing.class);
  }
  private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds*=off");
  private static final ClassDataSharing NONE = new ClassDataSharing(List.of(), null);
  /**
   * Option fragments after which no archive is used: agents (JDK 17 refuses to dump with them),
   * the caller's own CDS options, JFR (disabled while dumping, with a warning), module options a
   * dump refuses, options that keep the JDK's base archive from mapping (a dump then fails), and
   * option files this class cannot see into.
   */
  private static final List<String> CONFLICTING = List.of(
      "-javaagent", "-agentlib", "-agentpath", "-Xrun", "-Xshare", "SharedArchiveFile",
      "ArchiveClassesAtExit", "SharedSpaces", "AllowArchivingWithJavaAgent", "FlightRecord",
      "--patch-module", "--upgrade-module-path", "--limit-modules", "UseCompressedClassPointers",
      "ObjectAlignmentInBytes", "-XX:Flags", "VMOptionsFile");
  private static final List<String> OPTION_VARIABLES =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private final List<String> options;
  private final Creation creation;

  private ClassDataSharing(List<String> options, Creation creation) {
    this.options = options;
    this.creation = creation;
  }

  /**
   * The plan for launching one worker with this JVM's JDK and classpath, the caller's {@code
   * jvmArgs} and environment overrides {@code env}; no archive if {@code enabled} is false. May
   * take the creation lock, which {@link #start} releases: launch with {@link #start}.
   */
  public static ClassDataSharing forWorker(
      boolean enabled, List<String> jvmArgs, Map<String, String> env) {
    if (!enabled
        || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))
        || !System.getProperty("java.vm.info", "").contains("sharing")
        || conflicts(jvmArgs, env)) {
      return NONE;
    }
    try {
      CdsClasspath classpath = CdsClasspath.of(System.getProperty("java.class.path"));
      return classpath.hasClassDirectory() ? NONE : plan(classpath);
    } catch (IOException | RuntimeException e) {
      // an unreadable directory, an odd classpath entry, a file system without POSIX modes
      log().debug("worker starts without a class-data sharing archive", e);
      return NONE;
    }
  }

  /**
   * Whether the worker's {@code jvmArgs}, or the options variables of this JVM's environment as
   * overridden by {@code env}, keep it from using or creating an archive.
   */
  static boolean conflicts(List<String> jvmArgs, Map<String, String> env) {
    return jvmArgs.stream().anyMatch(ClassDataSharing::conflicts)
        || OPTION_VARIABLES.stream().anyMatch(v -> variableConflicts(v, env));
  }

  /** Whether the JVM option {@code option} keeps a worker from using or creating an archive. */
  static boolean conflicts(String option) {
    return option.startsWith("@") || CONFLICTING.stream().anyMatch(option::contains);
  }

  /** Options for the worker's command line, before its main class; empty without an archive. */
  public List<String> jvmOptions() {
    return options;
  }

  /**
   * Starts {@code pb}, whose command holds {@link #jvmOptions()}. If the worker creates the
   * archive, publishes its dump once it exits with status 0 and releases the lock; if it cannot
   * start, releases the lock at once.
   *
   * @throws IOException as {@link ProcessBuilder#start()}
   */
  public Process start(ProcessBuilder pb) throws IOException {
    if (creation == null) {
      return pb.start();
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      creation.abandon();
      throw e;
    }
    creation.watch(process);
    return process;
  }

  private static ClassDataSharing plan(CdsClasspath classpath) throws IOException {
    CdsStore store = CdsStore.open(directory());
    Key key = classpath.key(System.getProperty("java.home"), System.getProperty("java.vm.version"));
    Path archive = store.archive(key);
    if (Files.isRegularFile(archive)) {
      return using(archive);
    }
    Optional<Path> lock = store.tryLock(key);
    if (lock.isEmpty()) {
      return NONE; // another worker is creating it
    }
    Creation creation = new Creation(store, key, store.tempFile(key), lock.get());
    try {
      if (Files.isRegularFile(archive)) {
        creation.abandon(); // published since we looked
        return using(archive);
      }
      if (classpath.manifestNamesClassDirectory()) {
        creation.abandon();
        return NONE;
      }
      store.sweepTempFiles();
    } catch (IOException | RuntimeException e) {
      creation.abandon();
      throw e;
    }
    return new ClassDataSharing(quiet("-XX:ArchiveClassesAtExit=" + creation.dump), creation);
  }

  private static ClassDataSharing using(Path archive) {
    return new ClassDataSharing(quiet("-XX:SharedArchiveFile=" + archive), null);
  }

  private static List<String> quiet(String option) {
    List<String> options = new ArrayList<>(QUIET);
    options.add(option);
    return List.copyOf(options);
  }

  private static Path directory() {
    String dir = System.getProperty(DIR_PROPERTY);
    Path home = Path.of(System.getProperty("user.home"));
    return (dir != null ? Path.of(dir) : home.resolve(".jmanager").resolve("cds")).toAbsolutePath();
  }

  private static boolean variableConflicts(String variable, Map<String, String> env) {
    String value = env.containsKey(variable) ? env.get(variable) : System.getenv(variable);
    return value != null
        && Arrays.stream(value.trim().split("\\s+")).anyMatch(ClassDataSharing::conflicts);
  }

  /** One worker creating an archive: its dump file and the lock it holds until it exits. */
  private static final class Creation {
    private final CdsStore store;
    private final Key key;
    private final Path dump;
    private final Path lock;
    private boolean finished;

    Creation(CdsStore store, Key key, Path dump, Path lock) {
      this.store = store;
      this.key = key;
      this.dump = dump;
      this.lock = lock;
    }

    /** Finishes when {@code worker} exits, or when this JVM exits after it. */
    void watch(Process worker) {
      Thread hook = new Thread(() -> {
        if (!worker.isAlive()) {
          finish(worker);
        }
      }, "jmanager-cds-publish");
      try {
        Runtime.getRuntime().addShutdownHook(hook);
      } catch (IllegalStateException e) {
        // this JVM is shutting down already: its workers are killed, nothing will be published
      }
      worker.onExit().thenRun(() -> {
        finish(worker);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs and finds the work done
        }
      });
    }

    /** Gives up before a worker ran: releases the lock. */
    void abandon() {
      finish(null);
    }

    /**
     * Publishes the dump of {@code worker} if it exited with 0 (none if null) and unlocks, once;
     * a second caller (the shutdown hook) waits until the first is done, so that this JVM does not
     * exit between the two steps.
     */
    private synchronized void finish(Process worker) {
      if (finished) {
        return;
      }
      finished = true;
      try {
        if (worker != null && worker.exitValue() == 0 && Files.isRegularFile(dump)
            && Files.size(dump) > 0) {
          store.publish(dump, key);
        }
      } catch (IOException e) {
        log().debug("no class-data sharing archive from worker {}", worker, e);
      } finally {
        try {
          Files.deleteIfExists(dump);
          store.unlock(lock);
        } catch (IOException e) {
          log().debug("cannot clean up after creating a class-data sharing archive", e);
        }
      }
    }
  }
}
