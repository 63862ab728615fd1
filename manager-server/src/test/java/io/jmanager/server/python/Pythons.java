package io.jmanager.server.python;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The CPython interpreters on this machine, for cross-tests: {@code python3} from the {@code
 * PATH}, and every CPython 3.8+ that pyenv installed ({@code ~/.pyenv/versions/3.X.Y}) with a
 * version {@code python3} is not. Scripts run with a bounded wait and are killed when it ends.
 */
public final class Pythons {
  public static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What a gateway test's script starts with: the README's Python section, registering every
   * typeid the gateway serves; it connects {@code m} to the port and hex authkey in {@code argv}.
   */
  public static final String GATEWAY_PREAMBLE = """
      import sys, queue
      from multiprocessing.managers import BaseManager, DictProxy, ListProxy, ValueProxy, AcquirerProxy, IteratorProxy
      class Gateway(BaseManager): pass
      Gateway.register('get_dict', proxytype=DictProxy)
      Gateway.register('get_list', proxytype=ListProxy)
      Gateway.register('get_queue')
      Gateway.register('get_joinable_queue')
      Gateway.register('get_lock', proxytype=AcquirerProxy)
      Gateway.register('get_value', proxytype=ValueProxy)
      Gateway.register('Iterator', proxytype=IteratorProxy, create_method=False)
      m = Gateway(address=('127.0.0.1', int(sys.argv[1])), authkey=bytes.fromhex(sys.argv[2]))
      m.connect()
      """;

  /** An interpreter: the command that runs it, and its version (e.g. {@code 3.12.1}). */
  public record Interpreter(String command, String version) {
    int minor() {
      return Integer.parseInt(version.split("\\.")[1]);
    }

    @Override
    public String toString() {
      return "CPython " + version;
    }
  }

  /** What a script printed, and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {
    public List<String> lines() {
      return stdout.lines().toList();
    }
  }

  private static List<Interpreter> all;

  private Pythons() {}

  /** Every interpreter found, {@code python3} first; empty if there is none. */
  public static synchronized List<Interpreter> all() {
    if (all == null) {
      all = find();
    }
    return all;
  }

  private static List<Interpreter> find() {
    Map<String, Interpreter> byVersion = new LinkedHashMap<>();
    try {
      String script = "import sys; print('%d.%d.%d' % sys.version_info[:3])";
      Result r = run(new Interpreter("python3", "?"), script);
      if (r.exitCode() == 0) {
        String version = r.stdout().strip();
        byVersion.put(version, new Interpreter("python3", version));
      }
    } catch (IOException e) {
      // no python3 on the PATH: the pyenv ones, if any, are all there is
    }
    Path versions = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> dirs = Files.list(versions)) {
        dirs.map(d -> new Interpreter(
                d.resolve("bin/python3").toString(), d.getFileName().toString()))
            .filter(i -> i.version().matches("3\\.\\d+\\.\\d+") && i.minor() >= 8)
            .filter(i -> Files.isExecutable(Path.of(i.command())))
            .sorted(Comparator.comparingInt(Interpreter::minor))
            .forEach(i -> byVersion.putIfAbsent(i.version(), i));
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + versions, e);
      }
    }
    return List.copyOf(byVersion.values());
  }

  /** Every interpreter found, for a parameterized test; the test is skipped when there is none. */
  public static java.util.stream.Stream<Interpreter> interpreters() {
    org.junit.jupiter.api.Assumptions.assumeTrue(!all().isEmpty(), "no python3 on this machine: the cross-test is skipped");
    return all().stream();
  }

  /** {@code python3}, or the newest pyenv interpreter when there is none on the PATH. */
  public static Interpreter python3() {
    List<Interpreter> found = all();
    return found.stream().filter(i -> i.command().equals("python3")).findFirst()
        .orElse(found.isEmpty() ? null : found.get(found.size() - 1));
  }

  /** Runs {@code script} ({@code python -c}) to its end, within {@link #RUN_TIMEOUT}. */
  public static Result run(Interpreter python, String script, String... args) throws IOException {
    return run(python, script, new byte[0], args);
  }

  /** Runs {@code script} with {@code stdin} as its input, within {@link #RUN_TIMEOUT}. */
  static Result run(Interpreter python, String script, byte[] stdin, String... args)
      throws IOException {
    try (Running p = start(python, script, args)) {
      try (OutputStream in = p.process.getOutputStream()) {
        in.write(stdin);
      }
      return p.finish(RUN_TIMEOUT);
    }
  }

  /** Starts {@code script} without waiting; {@link Running#close()} kills it if still alive. */
  public static Running start(Interpreter python, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(python.command(), "-c", script));
    command.addAll(List.of(args));
    return new Running(new ProcessBuilder(command).start());
  }

  /** A running script, read as it runs so that its output never blocks it. */
  public static final class Running implements AutoCloseable {
    final Process process;
    private final CompletableFuture<String> stdout;
    private final CompletableFuture<String> stderr;

    private Running(Process process) {
      this.process = process;
      this.stdout = drain(process.getInputStream());
      this.stderr = drain(process.getErrorStream());
    }

    /** Waits up to {@code timeout} for the script to exit; fails the test if it does not. */
    public Result finish(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          fail("python did not finish within " + timeout + "; stderr so far: " + stderrNow());
        }
        return new Result(process.exitValue(), stdout.get(10, TimeUnit.SECONDS),
            stderr.get(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for python", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("cannot read python's output", e);
      }
    }

    private String stderrNow() {
      return stderr.getNow("(unread)");
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
      CompletableFuture<String> text = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (stream) {
          text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          text.completeExceptionally(e);
        }
      }, "python-output");
      reader.setDaemon(true);
      reader.start();
      return text;
    }
  }
}
