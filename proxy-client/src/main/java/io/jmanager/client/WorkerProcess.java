package io.jmanager.client;

import io.jmanager.client.internal.ClassDataSharing;
import io.jmanager.client.internal.RealManager;
import io.jmanager.client.internal.TlsTrust;
import io.jmanager.client.internal.WorkerMain;
import io.jmanager.common.Authkeys;
import io.jmanager.common.ParentProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM, Python's {@code multiprocessing.Process}: {@code WorkerProcess.of(Main.class,
 * args).manager(m).start()} launches {@code Main} in a new JVM with this JVM's classpath and
 * {@code JMANAGER_ADDRESS}/{@code JMANAGER_AUTHKEY} set (and {@code JMANAGER_TLS_FINGERPRINT}/{@code
 * JMANAGER_TLS_CA} as the manager trusts its daemon over TLS), so the worker connects with {@link
 * Manager#fromEnvironment()}.
 *
 * <p>Output is inherited unless redirected. A worker exits by itself within a fifth of a second
 * when this JVM dies (it watches its parent process), and live workers are killed when this JVM
 * exits normally. The
 * documented way to stop a worker is cooperative (it watches a shared event; the parent sets it
 * and {@link #join(Duration)}s), with {@link #terminate()} as the fallback. Not thread-safe to
 * configure; {@code join}, {@code isAlive} and {@code exitCode} may be called from any thread.
 */
public final class WorkerProcess {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "jmanager-workers-cleanup"));
  }

  private final Class<?> main;
  private final List<String> args;
  private final List<String> jvmArgs = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private Redirect output = Redirect.INHERIT;
  private Redirect error = Redirect.INHERIT;
  private boolean classDataSharing = true;
  private Process process;

  private WorkerProcess(Class<?> main, String[] args) {
    this.main = main;
    this.args = List.of(args);
    String address = System.getenv(Authkeys.ADDRESS_ENV);
    String authkey = System.getenv(Authkeys.AUTHKEY_ENV);
    if (address != null) {
      env.put(Authkeys.ADDRESS_ENV, address);
    }
    if (authkey != null) {
      env.put(Authkeys.AUTHKEY_ENV, authkey);
    }
  }

  /**
   * {@return a worker that will run {@code main.main(args)}} Nothing is launched until {@link
   * #start()}. The worker inherits this JVM's {@code JMANAGER_ADDRESS} and {@code
   * JMANAGER_AUTHKEY}, if set, unless a {@code manager(...)} method says otherwise.
   *
   * @param main a class with a {@code public static void main(String[])}, on this JVM's classpath
   * @param args the arguments {@code main} receives
   */
  public static WorkerProcess of(Class<?> main, String... args) {
    return new WorkerProcess(main, args);
  }

  /**
   * Connects the worker to the daemon {@code m} is connected to, with the same authkey: through the
   * daemon's Unix socket when it has one on this host, with {@code m}'s own addresses after it.
   *
   * @param m a manager returned by {@link Manager#connect} or {@link ManagerBuilder#connect()}
   * @return this worker
   * @throws IllegalArgumentException if {@code m} is not such a manager
   */
  public WorkerProcess manager(Manager m) {
    if (!(m instanceof RealManager rm)) {
      throw new IllegalArgumentException("not a connected jmanager Manager: " + m);
    }
    manager(rm.workerAddresses(), rm.authkey());
    env.putAll(TlsTrust.environment(rm.tls())); // as m trusts the daemon (a Unix socket stays plain)
    return this;
  }

  /**
   * Connects the worker to the daemon at {@code address} with {@code authkey}.
   *
   * @param address the daemon's TCP address
   * @param authkey the daemon's authkey, passed to the worker in hex
   * @return this worker
   */
  public WorkerProcess manager(InetSocketAddress address, byte[] authkey) {
    return manager(address.getHostString() + ":" + address.getPort(), authkey);
  }

  /**
   * Connects the worker to the daemon at {@code address} ({@code host:port}, {@code unix:/path},
   * or a comma-separated list, as {@link Manager#connect} takes it) with {@code authkey}.
   *
   * @param address the daemon's address or addresses
   * @param authkey the daemon's authkey, passed to the worker in hex
   * @return this worker
   * @throws NullPointerException if {@code address} or {@code authkey} is null
   */
  public WorkerProcess manager(String address, byte[] authkey) {
    env.put(Authkeys.ADDRESS_ENV, Objects.requireNonNull(address, "address"));
    env.put(Authkeys.AUTHKEY_ENV, Authkeys.hex(authkey));
    return this;
  }

  /**
   * Sets an environment variable of the worker, on top of this JVM's environment, which it
   * inherits.
   *
   * @param name the variable's name
   * @param value its value
   * @return this worker
   */
  public WorkerProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /**
   * Adds options for the worker's {@code java} command, such as {@code -Xmx256m}, after those it
   * inherits ({@link #inheritedProperties()}); repeated calls add to the list.
   *
   * @param jvmArgs JVM options, one per element
   * @return this worker
   */
  public WorkerProcess jvmArgs(String... jvmArgs) {
    this.jvmArgs.addAll(Arrays.asList(jvmArgs));
    return this;
  }

  /**
   * Where the worker's stdout goes (default: this JVM's stdout). With {@link Redirect#PIPE}, read
   * it from {@link #process()}.
   *
   * @param redirect the destination, as {@link ProcessBuilder#redirectOutput(Redirect)} takes it
   * @return this worker
   */
  public WorkerProcess redirectOutput(Redirect redirect) {
    this.output = redirect;
    return this;
  }

  /**
   * Where the worker's stderr goes (default: this JVM's stderr).
   *
   * @param redirect the destination, as {@link ProcessBuilder#redirectError(Redirect)} takes it
   * @return this worker
   */
  public WorkerProcess redirectError(Redirect redirect) {
    this.error = redirect;
    return this;
  }

  /**
   * Whether the worker starts from an application class-data sharing archive of its classpath
   * (default: yes), kept in {@code ~/.jmanager/cds} or the directory the system property {@code
   * jmanager.cds.dir} names. The first worker for a classpath creates the archive as it exits with
   * status 0, about a second's work; later ones start faster. The system property {@code
   * jmanager.cds=false} turns archives off for every worker of this JVM. Classpaths with class
   * directories (Maven's {@code target/classes}) and workers run with agents, JFR or their own CDS
   * options never use one. A worker never fails or prints because of an archive.
   *
   * @param enabled false to start this worker without an archive
   * @return this worker
   */
  public WorkerProcess classDataSharing(boolean enabled) {
    this.classDataSharing = enabled;
    return this;
  }

  /**
   * Launches the JVM and returns without waiting for the worker to run or connect.
   *
   * @return this worker
   * @throws IllegalStateException if it was already started
   * @throws java.io.UncheckedIOException if the {@code java} command cannot be started
   */
  public synchronized WorkerProcess start() {
    if (process != null) {
      throw new IllegalStateException("worker " + main.getName() + " already started");
    }
    ClassDataSharing cds = ClassDataSharing.forWorker(classDataSharing, jvmArgs, env);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(cds.jvmOptions());
    cmd.addAll(inheritedProperties());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WorkerMain.class.getName());
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(output).redirectError(error);
    pb.redirectInput(Redirect.PIPE);
    pb.environment().putAll(env);
    pb.environment().put(ParentProcess.ENV, ParentProcess.token());
    try {
      process = cds.start(pb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker " + main.getName(), e);
    }
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return this;
  }

  /**
   * The {@code -D} options a child JVM inherits from this one: {@code logback.configurationFile} and
   * every {@code jmanager.*} property, so children log and tune like their parent.
   *
   * @return the options, as {@code -Dname=value}, read from this JVM's system properties now
   */
  public static List<String> inheritedProperties() {
    List<String> out = new ArrayList<>();
    for (String prop : System.getProperties().stringPropertyNames()) {
      if (prop.equals("logback.configurationFile") || prop.startsWith("jmanager.")) {
        out.add("-D" + prop + "=" + System.getProperty(prop));
      }
    }
    return out;
  }

  /**
   * Waits for the worker to exit, however long that takes.
   *
   * @return its exit code
   * @throws InterruptedException if this thread is interrupted while waiting; the worker runs on
   * @throws IllegalStateException if it was not started
   */
  public int join() throws InterruptedException {
    return started().waitFor();
  }

  /**
   * Waits up to {@code timeout} for the worker to exit.
   *
   * @param timeout the longest wait
   * @return whether the worker has exited; read its code from {@link #exitCode()}
   * @throws InterruptedException if this thread is interrupted while waiting; the worker runs on
   * @throws IllegalStateException if it was not started
   */
  public boolean join(Duration timeout) throws InterruptedException {
    return started().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** {@return whether the worker has started and not yet exited} */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@return the exit code, or empty while the worker runs (or before it starts)} */
  public OptionalInt exitCode() {
    return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Asks the worker to stop with SIGTERM (its shutdown hooks run), without waiting: {@link
   * #join(Duration)} after it.
   *
   * @throws IllegalStateException if it was not started
   */
  public void terminate() {
    started().destroy();
  }

  /**
   * Stops the worker at once with SIGKILL, without waiting: its daemon sessions close and release
   * what they held.
   *
   * @throws IllegalStateException if it was not started
   */
  public void kill() {
    started().destroyForcibly();
  }

  /**
   * {@return the worker's operating-system process id}
   *
   * @throws IllegalStateException if it was not started
   */
  public long pid() {
    return started().pid();
  }

  /**
   * {@return the underlying process, e.g. to read its output when redirected to a pipe}
   *
   * @throws IllegalStateException if it was not started
   */
  public Process process() {
    return started();
  }

  private Process started() {
    if (process == null) {
      throw new IllegalStateException("worker " + main.getName() + " not started");
    }
    return process;
  }

  @Override
  public String toString() {
    return "WorkerProcess[" + main.getSimpleName() + (process == null ? "" : " pid " + process.pid()) + "]";
  }

}
