package io.jmanager.pool;

import java.nio.file.Files;
import java.nio.file.Path;

/** Functions the pool tests run in worker JVMs, by method reference. */
public final class PoolTasks {
  private PoolTasks() {}

  /** Set by {@link #init}: how often the initializer ran in this JVM. */
  static int initRuns;

  public static void init() {
    initRuns++;
  }

  public static int square(int x) {
    return x * x;
  }

  /** This worker's pid and how often its initializer ran, as {@code pid:runs}. */
  public static String whoAmI(int ignored) {
    return ProcessHandle.current().pid() + ":" + initRuns;
  }

  public static int failOnSeven(int x) {
    if (x == 7) {
      throw new IllegalArgumentException("seven is not allowed");
    }
    return x;
  }

  /** A task exception of the caller's own type. */
  public static final class Odd extends Exception {
    public Odd(String message) {
      super(message);
    }
  }

  public static int oddFails(int x) throws Odd {
    if (x % 2 == 1) {
      throw new Odd("odd: " + x);
    }
    return x;
  }

  public static int exitOnFive(int x) {
    if (x == 5) {
      System.exit(3);
    }
    return x;
  }

  /** Writes this worker's pid to {@code marker}, then works until killed. */
  public static int hang(String marker) throws Exception {
    Files.writeString(Path.of(marker + ".tmp"), Long.toString(ProcessHandle.current().pid()));
    Files.move(Path.of(marker + ".tmp"), Path.of(marker));
    Thread.currentThread().join(); // until the test kills this worker
    return 0;
  }

  /** The first run (no marker yet) kills its worker; a retry returns 42. */
  public static int dieOnce(String marker) throws Exception {
    if (Files.exists(Path.of(marker))) {
      return 42;
    }
    Files.createFile(Path.of(marker));
    Runtime.getRuntime().halt(9);
    return 0;
  }
}
