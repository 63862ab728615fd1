package io.jmanager.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code python3} on the {@code PATH}, for the demos and the bench that have a CPython side:
 * whether there is one, and scripts (kept as resources under {@code /python/}) run with it as
 * child processes. A script's stdout is read as it runs, so it never blocks on a full pipe; its
 * stderr goes to this JVM's. Every wait is bounded, and a script still running when this JVM exits
 * is killed with the processes it started (a CPython manager's server process), as {@code
 * WorkerProcess} kills its workers. Not thread-safe: one owner per script.
 */
final class Python3 {
  static final String COMMAND = "python3";
  /** How long {@code python3} may take to say its version. */
  private static final Duration VERSION_WAIT = Duration.ofSeconds(10);
  /** How long a killed script is given to be gone. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(5);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Python3::killTree), "jmanager-python-cleanup"));
  }

  private Python3() {}

  /** Kills {@code p} and what it started: a CPython manager's server process outlives a killed parent. */
  private static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /**
   * The version of {@code python3} ("3.11.7"), or empty if there is none on the {@code PATH}, or it
   * fails or does not answer within 10 s (a pyenv shim with no version selected fails).
   *
   * @throws InterruptedException if interrupted while waiting; the probe is killed
   */
  static Optional<String> version() throws InterruptedException {
    Script probe;
    try {
      probe = new Script(new ProcessBuilder(COMMAND, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])")
          .redirectError(Redirect.DISCARD));
    } catch (IOException notFound) {
      return Optional.empty(); // no python3 on the PATH: that is the answer
    }
    try (probe) {
      if (!probe.waitFor(VERSION_WAIT) || probe.exitCode() != 0 || probe.output().size() != 1) {
        return Optional.empty();
      }
      return Optional.of(probe.output().get(0).strip());
    }
  }

  /** Whether {@code version} ("3.11.7") is at least 3.{@code minor}. */
  static boolean atLeast(String version, int minor) {
    String[] parts = version.split("\\.");
    return Integer.parseInt(parts[0]) > 3 || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) >= minor);
  }

  /**
   * Starts the script {@code /python/<name>} of this module ({@code python3 -c}) with {@code args},
   * and {@code env} added to this JVM's environment (secrets go there: the command line is public).
   *
   * @throws UncheckedIOException if the script is missing or {@code python3} cannot be started
   */
  static Script start(String name, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(COMMAND, "-c", resource(name)));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(Redirect.INHERIT);
    pb.environment().putAll(env);
    try {
      return new Script(pb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + COMMAND + " for " + name, e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = Python3.class.getResourceAsStream("/python/" + name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("no resource /python/" + name + " on the classpath"));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the script /python/" + name, e);
    }
  }

  /** A running script: its process, and the lines of its stdout. Closing it kills it if still alive. */
  static final class Script implements AutoCloseable {
    private final Process process;
    private final CompletableFuture<List<String>> stdout = new CompletableFuture<>();

    private Script(ProcessBuilder pb) throws IOException {
      process = pb.redirectInput(Redirect.PIPE).start();
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      process.getOutputStream().close(); // no input: a script that reads stdin sees its end
      Thread reader = new Thread(this::readStdout, "python3-stdout-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void readStdout() {
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
        stdout.complete(lines);
      } catch (IOException e) {
        stdout.completeExceptionally(e);
      }
    }

    long pid() {
      return process.pid();
    }

    /** The process, to watch (closing this kills it). */
    Process process() {
      return process;
    }

    boolean isAlive() {
      return process.isAlive();
    }

    /** Waits up to {@code timeout} for the script to exit; returns whether it has. */
    boolean waitFor(Duration timeout) throws InterruptedException {
      return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The exit code.
     *
     * @throws IllegalThreadStateException if the script is still running
     */
    int exitCode() {
      return process.exitValue();
    }

    /**
     * Every line the script wrote to stdout.
     *
     * @throws IllegalStateException if the script is still running, or its output cannot be read
     */
    List<String> output() throws InterruptedException {
      if (process.isAlive()) {
        throw new IllegalStateException(COMMAND + " (pid " + process.pid() + ") is still running");
      }
      try {
        return stdout.get(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS); // at exit, what is left is in the pipe
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("cannot read the output of " + COMMAND + " (pid " + process.pid() + ")", e);
      }
    }

    /** Kills the script and what it started if it is still running, and waits a little for it to be gone. */
    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        killTree(process);
        process.waitFor(AFTER_KILL.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }
}
