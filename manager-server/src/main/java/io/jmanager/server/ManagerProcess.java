package io.jmanager.server;

import io.jmanager.client.Manager;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Authkeys;
import io.jmanager.common.ParentProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon in a child JVM, like Python's {@code with Manager() as m:}. The child listens on a free
 * loopback port with a fresh authkey, and dies with this JVM: {@link #close()} asks it to shut
 * down and kills it if it has not exited within 5 s; it also exits by itself if this JVM dies.
 *
 * <pre>{@code
 * try (ManagerProcess daemon = ManagerProcess.start()) {
 *   Manager m = daemon.connect();
 * }
 * }</pre>
 */
public final class ManagerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("^jmanager daemon listening on (\\S+):(\\d+)");
  private static final Pattern ALSO_UNIX = Pattern.compile("^jmanager daemon also listening on unix:(\\S+)");

  private final Process process;
  private final InetSocketAddress address;
  private final byte[] authkey;
  private final CompletableFuture<Path> unixSocket;
  private final List<String> jvmOptions;
  private final String[] extraArgs;

  private ManagerProcess(
      Process process, InetSocketAddress address, byte[] authkey, CompletableFuture<Path> unixSocket,
      List<String> jvmOptions, String[] extraArgs) {
    this.process = process;
    this.address = address;
    this.authkey = authkey;
    this.unixSocket = unixSocket;
    this.jvmOptions = jvmOptions;
    this.extraArgs = extraArgs;
  }

  /**
   * The heap to start the daemon with, as {@code bin/jmanager server} chooses it: {@code --heap},
   * else {@code heap} of the {@code --config} file, else the default.
   */
  private static String heap(String[] args) {
    String heap = null;
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--heap=")) {
        heap = a.substring("--heap=".length());
      } else if (a.equals("--heap") && i + 1 < args.length) {
        heap = args[++i];
      } else if (a.startsWith("--config=")) {
        config = Path.of(a.substring("--config=".length()));
      } else if (a.equals("--config") && i + 1 < args.length) {
        config = Path.of(args[++i]);
      }
    }
    if (heap == null) {
      heap = config == null ? new ServerConfig().heap : ServerConfig.load(config).heap;
    }
    ServerConfig.bytes(heap); // a bad size fails here, with its reason
    return heap;
  }

  /**
   * Starts a daemon on 127.0.0.1 and a free port, and waits until it listens. {@code extraArgs}
   * are {@code bin/jmanager server} options; {@code --heap} (or {@code heap} in a {@code --config}
   * file) sizes its JVM, which exits at once on {@code OutOfMemoryError}. The daemon has a fresh
   * random authkey ({@link #authkey()}).
   *
   * @param extraArgs {@code bin/jmanager server} options, such as {@code --config FILE}
   * @return the running daemon
   * @throws IllegalArgumentException if the heap size is not valid
   * @throws IllegalStateException if the daemon does not listen within 30 s; it is killed
   * @throws java.io.UncheckedIOException if the {@code java} command cannot be started
   */
  public static ManagerProcess start(String... extraArgs) {
    return start(List.of(), extraArgs);
  }

  /**
   * As {@link #start(String...)}, with options for the daemon's JVM.
   *
   * @param jvmOptions JVM options, such as {@code -Xmx256m} (which overrides {@code --heap})
   * @param extraArgs {@code bin/jmanager server} options
   * @return the running daemon
   * @throws IllegalArgumentException if the heap size is not valid
   * @throws IllegalStateException if the daemon does not listen within 30 s; it is killed
   * @throws java.io.UncheckedIOException if the {@code java} command cannot be started
   */
  public static ManagerProcess start(List<String> jvmOptions, String... extraArgs) {
    return start(Authkeys.random(), 0, List.copyOf(jvmOptions), extraArgs.clone());
  }

  /**
   * As {@link #start(List, String...)}, with a given authkey: daemons that clients reach by one
   * key, such as the members of a cluster ({@code --cluster}).
   *
   * @param authkey the daemon's authkey
   * @param jvmOptions JVM options, such as {@code -Xmx256m}
   * @param extraArgs {@code bin/jmanager server} options
   * @return the running daemon
   * @throws IllegalStateException if the daemon does not listen within 30 s; it is killed
   * @throws java.io.UncheckedIOException if the {@code java} command cannot be started
   */
  public static ManagerProcess start(byte[] authkey, List<String> jvmOptions, String... extraArgs) {
    return start(authkey.clone(), 0, List.copyOf(jvmOptions), extraArgs.clone());
  }

  /**
   * Starts a new daemon JVM in this one's place, after it exited or was killed: with the same
   * authkey, port and options, as an operator restarting it would; its clients reconnect to it.
   *
   * @return the new daemon; this object stays the old, exited one
   * @throws IllegalStateException if this daemon is still running, or the new one does not start
   */
  public ManagerProcess restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("the daemon (pid " + pid() + ") is still running: close or kill it first");
    }
    return start(authkey, address.getPort(), jvmOptions, extraArgs);
  }

  private static ManagerProcess start(byte[] key, int port, List<String> jvmOptions, String[] extraArgs) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(WorkerProcess.inheritedProperties());
    cmd.add("-Xmx" + heap(extraArgs));
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.addAll(jvmOptions); // after the heap: a later -Xmx wins
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--exit-with-parent"));
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(Redirect.INHERIT).redirectInput(Redirect.PIPE);
    pb.environment().put(Authkeys.AUTHKEY_ENV, Authkeys.hex(key));
    pb.environment().put(ParentProcess.ENV, ParentProcess.token());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the daemon JVM", e);
    }
    CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
    CompletableFuture<Path> unix = new CompletableFuture<>();
    Thread reader = new Thread(() -> pump(p, listening, unix), "jmanager-daemon-output");
    reader.setDaemon(true);
    reader.start();
    try {
      InetSocketAddress address = listening.get(30, TimeUnit.SECONDS);
      return new ManagerProcess(p, address, key, unix, jvmOptions, extraArgs);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("the daemon JVM did not start listening: " + e.getMessage(), e);
    }
  }

  /** Reads the child's stdout: the start-up lines give its addresses; the rest is passed on. */
  private static void pump(Process p, CompletableFuture<InetSocketAddress> listening, CompletableFuture<Path> unix) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = LISTENING.matcher(line);
        if (!listening.isDone() && m.find()) {
          listening.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
        }
        Matcher u = ALSO_UNIX.matcher(line);
        if (u.find()) {
          unix.complete(Path.of(u.group(1)));
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
    listening.completeExceptionally(new IllegalStateException("daemon exited with " + exit(p)));
    unix.complete(null);
  }

  private static String exit(Process p) {
    try {
      return "code " + p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown code";
    }
  }

  /** {@return the daemon's TCP address: 127.0.0.1 and the port it chose} */
  public InetSocketAddress address() {
    return address;
  }

  /** {@return a copy of the daemon's authkey, for clients and workers} */
  public byte[] authkey() {
    return authkey.clone();
  }

  /** {@return the daemon JVM's process id} */
  public long pid() {
    return process.pid();
  }

  /** {@return whether the daemon JVM is still running} */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * {@return a new connection to this daemon, with its authkey and the default client options}
   *
   * @throws io.jmanager.client.ConnectionLostException if the daemon cannot be reached
   */
  public Manager connect() {
    return Manager.builder().address(address).authkey(authkey).connect();
  }

  /**
   * Kills the daemon at once (SIGKILL), as a crash would, and removes the Unix socket file it can
   * no longer remove itself.
   */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    removeSocketFile();
  }

  /** The daemon's own stop removes its socket file; after a kill, this JVM does. */
  private void removeSocketFile() {
    if (process.isAlive()) {
      return;
    }
    Path socket = unixSocket.getNow(null);
    if (socket != null) {
      try {
        java.nio.file.Files.deleteIfExists(socket);
      } catch (IOException e) {
        // left behind: the next daemon on this path replaces a stale file
      }
    }
  }

  /** Shuts the daemon down; kills it if it has not exited within 5 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      Path unix = unixSocket.getNow(null); // first: plain on a TLS daemon too, and the shortest way
      String where = (unix != null ? "unix:" + unix + "," : "") + address.getHostString() + ":" + address.getPort();
      try (Manager m = Manager.builder().address(where).authkey(authkey).connectTimeout(Duration.ofSeconds(2)).connect()) {
        m.shutdown();
      } catch (RuntimeException unreachable) {
        // hung or already going: the kill below takes care of it
      }
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    removeSocketFile();
  }
}
