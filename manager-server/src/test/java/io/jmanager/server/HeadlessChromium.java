package io.jmanager.server;

import static io.jmanager.server.MiniJson.member;
import static io.jmanager.server.MiniJson.quote;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium showing one page, driven over the Chrome DevTools Protocol (CDP), for
 * tests that must check what a browser shows. JDK only: {@link HttpClient} finds the page, a
 * {@link DevToolsConnection} carries the protocol, {@link MiniJson} is its JSON.
 *
 * <p>Thread-safe: calls may come from any thread, each waits for its own reply. Every call is
 * bounded ({@link #evaluate} by 10 s) and says what it waited for when it gives up. {@link #close}
 * ends every process this browser started, including the crash handler that Chromium double-forks
 * out of its own process tree, and deletes the profile; a test closes it in try-with-resources so
 * that no browser outlives a failed test.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Names looked up on {@code PATH}, in order. */
  public static final List<String> NAMES =
      List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
  /** Environment variable naming the binary; when set it wins over {@code PATH}. */
  public static final String BINARY_ENV = "JMANAGER_CHROMIUM";
  /** Environment variable that, set to {@code 1} (CI sets it), makes "no Chromium" a failure. */
  public static final String REQUIRE_ENV = "JMANAGER_REQUIRE_BROWSER";

  private static final Duration START_WITHIN = Duration.ofSeconds(30);
  private static final Duration CALL_WITHIN = Duration.ofSeconds(10);
  private static final Duration SCREENSHOT_WITHIN = Duration.ofSeconds(30);
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 100;

  private final Process browser;
  private final Path tempDir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
  private volatile DevToolsConnection devTools;
  private boolean closed;

  /** The page threw, a promise it returned rejected, or the browser refused a call. */
  public static final class PageException extends IllegalStateException {
    PageException(String message) {
      super(message);
    }
  }

  private HeadlessChromium(Process browser, Path tempDir) {
    this.browser = browser;
    this.tempDir = tempDir;
  }

  /** The Chromium binary: {@code $JMANAGER_CHROMIUM} if set, else the first of {@link #NAMES}. */
  public static Optional<Path> find() {
    String override = System.getenv(BINARY_ENV);
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override)).filter(HeadlessChromium::isProgram);
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return NAMES.stream()
        .flatMap(name -> Stream.of(path.split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)))
        .filter(HeadlessChromium::isProgram).findFirst();
  }

  /**
   * Skips the calling test when {@link #find} finds no Chromium, or fails it when {@code
   * $JMANAGER_REQUIRE_BROWSER} is {@code 1}: CI installs Chromium and sets it, so that a browser
   * test can never pass there as a skip.
   */
  public static void assumeAvailable() {
    if (find().isPresent()) {
      return;
    }
    String override = System.getenv(BINARY_ENV);
    String why = override == null || override.isBlank()
        ? "no Chromium: none of " + NAMES + " on PATH, and $" + BINARY_ENV + " is unset"
        : "no Chromium: $" + BINARY_ENV + "=" + override + " is not an executable file";
    if ("1".equals(System.getenv(REQUIRE_ENV))) {
      throw new AssertionError(why + "; a browser is required here ($" + REQUIRE_ENV + "=1)");
    }
    Assumptions.assumeTrue(false, why);
  }

  /**
   * Starts a headless Chromium with a fresh profile showing {@code url}, and returns once the page
   * has loaded. Blocks up to 30 s.
   *
   * @throws IllegalStateException if Chromium is missing, exits, or does not load the page in
   *     time; the message carries Chromium's output. No process is left running then.
   */
  public static HeadlessChromium open(String url) {
    return open(find().orElseThrow(() -> new IllegalStateException("no Chromium found")), url);
  }

  /** As {@link #open(String)}, with this binary. */
  static HeadlessChromium open(Path binary, String url) {
    HeadlessChromium chromium;
    try {
      Path tempDir = Files.createTempDirectory("jmanager-chromium-");
      ProcessBuilder builder = new ProcessBuilder(command(binary, tempDir, url))
          .redirectErrorStream(true).redirectOutput(tempDir.resolve("chromium.log").toFile());
      // Chromium's per-user files (the crash handler's database among them) go under tempDir too:
      // nothing is left in $HOME, and the crash handler's command line names tempDir.
      builder.environment().put("XDG_CONFIG_HOME", tempDir.resolve("config").toString());
      builder.environment().put("XDG_CACHE_HOME", tempDir.resolve("cache").toString());
      chromium = new HeadlessChromium(builder.start(), tempDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    try {
      chromium.connect(url);
      return chromium;
    } catch (RuntimeException | Error e) {
      try {
        chromium.close();
      } catch (RuntimeException | Error cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static List<String> command(Path binary, Path tempDir, String url) {
    return List.of(binary.toString(), "--headless=new",
        "--no-sandbox", // root in a container: Chromium refuses to start without it
        "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-dev-shm-usage", "--remote-debugging-port=0",
        "--user-data-dir=" + tempDir.resolve("profile"), "--window-size=1280,900", url);
  }

  /**
   * The value of the JavaScript {@code expression} in the page, after awaiting it if it is a
   * promise: a string as itself, a number or boolean as its JSON text ({@code "3"}, {@code
   * "true"}, {@code "NaN"}), {@code null} for null and undefined. Blocks up to 10 s.
   *
   * @throws PageException if the expression throws or its promise rejects; carries the error text
   * @throws IllegalStateException if the value is an object or array (return {@code
   *     JSON.stringify(...)} instead), or the browser does not answer in time
   */
  public String evaluate(String expression) {
    Object result = devTools.call("Runtime.evaluate", "{\"expression\":" + quote(expression)
        + ",\"returnByValue\":true,\"awaitPromise\":true}", CALL_WITHIN);
    Object thrown = member(result, "exceptionDetails");
    if (thrown != null) {
      Object description = member(member(thrown, "exception"), "description");
      throw new PageException(expression + " threw: " + member(thrown, "text")
          + (description == null ? "" : " " + description));
    }
    Object remote = member(result, "result");
    Object special = member(remote, "unserializableValue");
    Object value = special != null ? special : member(remote, "value");
    if (value instanceof Map || value instanceof List) {
      throw new IllegalStateException(expression + " gave a " + member(remote, "type")
          + ", not a string, number or boolean; wrap it in JSON.stringify(...)");
    }
    return value == null ? null : value.toString();
  }

  /**
   * Re-evaluates {@code expression} about every 100 ms until {@code until} accepts its value (which
   * may be {@code null}, see {@link #evaluate}), and returns that value. A {@link PageException}
   * counts as "not yet": the element may not exist yet.
   *
   * @throws AssertionError if {@code within} passes first; carries the last value or error
   */
  public String awaitText(String expression, Predicate<String> until, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    String last;
    while (true) {
      try {
        String value = evaluate(expression);
        if (until.test(value)) {
          return value;
        }
        last = value == null ? "null" : quote(value);
      } catch (PageException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("after " + within.toMillis() + " ms, " + expression
            + " is still " + last);
      }
      pause(POLL_MILLIS);
    }
  }

  /** Writes a PNG of the page's viewport (1280x900) to {@code png}. Blocks up to 30 s. */
  public void screenshot(Path png) {
    Object result =
        devTools.call("Page.captureScreenshot", "{\"format\":\"png\"}", SCREENSHOT_WITHIN);
    byte[] bytes = Base64.getDecoder().decode((String) member(result, "data"));
    try {
      Path dir = png.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Files.write(png, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot to " + png, e);
    }
  }

  /**
   * The live processes of this browser: the one {@link #open} started, its descendants, and any
   * process whose command line names this browser's temporary directory (Chromium's crash handler
   * double-forks out of the tree). Empty after {@link #close}.
   */
  public Set<ProcessHandle> processes() {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    browser.descendants().forEach(all::add);
    String marker = tempDir.toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().filter(c -> c.contains(marker)).isPresent())
        .forEach(all::add);
    all.add(browser.toHandle());
    all.removeIf(p -> !isRunning(p));
    return all;
  }

  /**
   * Whether {@code process} still runs: alive, and not a zombie. Chromium's orphaned helpers are
   * reaped by the machine's init, which may take its time (or, in a container without one, never
   * come): {@link ProcessHandle#isAlive} counts them alive until then, yet they are gone.
   */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int state = stat.lastIndexOf(')') + 2; // "pid (name) S ...": the name may hold ')'
      return state >= 2 && state < stat.length() && stat.charAt(state) != 'Z';
    } catch (NoSuchFileException e) {
      return false; // reaped while we looked
    } catch (IOException e) {
      return true; // no /proc here: trust isAlive
    }
  }

  /**
   * Closes the DevTools connection, ends every process of {@link #processes} (politely, then after
   * 5 s forcibly) and deletes the profile. Idempotent; blocks up to about 15 s.
   *
   * @throws IllegalStateException if a process survives being killed
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (devTools != null) {
        devTools.close();
      }
      stopProcesses();
    } finally {
      deleteTree(tempDir);
    }
  }

  private void connect(String url) {
    long deadline = System.nanoTime() + START_WITHIN.toNanos();
    int port = awaitDevToolsPort(deadline);
    String target = awaitPageTarget(port, deadline);
    try {
      devTools = DevToolsConnection.open(http, URI.create(target), CALL_WITHIN);
    } catch (IllegalStateException e) {
      throw failure(e.getMessage(), e);
    }
    // --window-size counts the window's frame: pin the page's own viewport to the same size
    devTools.call("Emulation.setDeviceMetricsOverride",
        "{\"width\":1280,\"height\":900,\"deviceScaleFactor\":1,\"mobile\":false}", CALL_WITHIN);
    if (!url.startsWith("about:")) {
      awaitLoaded(url);
    }
  }

  /** Chromium writes the port it listens on to the profile's DevToolsActivePort once it is up. */
  private int awaitDevToolsPort(long deadline) {
    Path portFile = tempDir.resolve("profile").resolve("DevToolsActivePort");
    while (true) {
      if (!browser.isAlive()) {
        throw failure("Chromium exited with " + browser.exitValue() + " before listening", null);
      }
      try {
        String text = Files.readString(portFile, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline > 0) { // else Chromium is still writing it
          return Integer.parseInt(text.substring(0, newline).trim());
        }
      } catch (NoSuchFileException e) {
        // not written yet: wait on
      } catch (IOException e) {
        throw failure("cannot read " + portFile, e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw failure("Chromium did not write " + portFile + " within " + START_WITHIN, null);
      }
      pause(50);
    }
  }

  /** The WebSocket URL of the page Chromium opened, from its {@code /json/list} of targets. */
  private String awaitPageTarget(int port, long deadline) {
    URI list = URI.create("http://127.0.0.1:" + port + "/json/list");
    String last = "";
    while (true) {
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        for (Object target : (List<?>) MiniJson.parse(response.body())) {
          if ("page".equals(member(target, "type"))) {
            return (String) member(target, "webSocketDebuggerUrl");
          }
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted asking " + list, e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw failure("no page target at " + list + " within " + START_WITHIN + "; last: " + last,
            null);
      }
      pause(50);
    }
  }

  private void awaitLoaded(String url) {
    String state;
    try {
      state = awaitText("location.href === 'about:blank' ? 'navigating'"
              + " : location.protocol === 'chrome-error:' ? 'failed' : document.readyState",
          s -> "complete".equals(s) || "failed".equals(s), START_WITHIN);
    } catch (AssertionError e) {
      throw failure("Chromium did not load " + url + ": " + e.getMessage(), e);
    }
    if (state.equals("failed")) {
      throw failure("Chromium could not load " + url + " (it shows its error page)", null);
    }
  }

  /**
   * Ends the browser's processes. They are listed before any is signalled: once the browser dies,
   * its children are reparented and are no longer its descendants.
   */
  private void stopProcesses() {
    Set<ProcessHandle> started = processes();
    started.forEach(ProcessHandle::destroy);
    awaitExit(started);
    started.stream().filter(HeadlessChromium::isRunning).forEach(ProcessHandle::destroyForcibly);
    awaitExit(started);
    Set<ProcessHandle> late = processes(); // forked while the others were stopping
    late.forEach(ProcessHandle::destroyForcibly);
    awaitExit(late);
    List<ProcessHandle> survivors = new ArrayList<>(started);
    survivors.addAll(late);
    survivors.removeIf(p -> !isRunning(p));
    if (!survivors.isEmpty()) {
      throw new IllegalStateException("Chromium processes survived being killed: " + survivors
          .stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
          .collect(Collectors.joining(", ")));
    }
  }

  private static void awaitExit(Set<ProcessHandle> processes) {
    long deadline = System.nanoTime() + EXIT_WITHIN.toNanos();
    while (processes.stream().anyMatch(HeadlessChromium::isRunning)
        && System.nanoTime() - deadline < 0) {
      pause(20);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // already gone: nothing to delete
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete Chromium's profile " + root, e);
    }
  }

  /** An IllegalStateException that ends with the tail of Chromium's own output. */
  private IllegalStateException failure(String what, Throwable cause) {
    String output;
    try {
      output = Files.readString(tempDir.resolve("chromium.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      output = "(unreadable: " + e + ")";
    }
    String tail = output.substring(Math.max(0, output.length() - 4000));
    return new IllegalStateException(what + "\nChromium's output:\n" + tail, cause);
  }

  private static boolean isProgram(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting on Chromium", e);
    }
  }
}
