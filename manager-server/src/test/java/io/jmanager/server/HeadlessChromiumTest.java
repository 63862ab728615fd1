package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@link HeadlessChromium} against a real Chromium and a page that updates itself: a counter
 * that a script bumps every 200 ms. Skipped without Chromium, unless $JMANAGER_REQUIRE_BROWSER=1.
 */
class HeadlessChromiumTest {
  private static final String PAGE = """
      <!doctype html>
      <html>
      <head><meta charset="utf-8"><title>harness</title></head>
      <body>
        <h1 id="title">jmanager harness page</h1>
        <p>ticks: <span id="ticks">0</span></p>
        <script>
          let ticks = 0;
          setInterval(() => {
            document.getElementById('ticks').textContent = String(++ticks);
          }, 200);
        </script>
      </body>
      </html>
      """;
  private static final String TICKS = "document.getElementById('ticks').textContent";
  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static final AtomicInteger pageLoads = new AtomicInteger();
  private static HttpServer server;
  private static String url;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void openPage() throws IOException {
    if (HeadlessChromium.find().isEmpty()) {
      return; // each test skips or fails in needsChromium()
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", HeadlessChromiumTest::serve);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    chromium = HeadlessChromium.open(url);
  }

  @AfterAll
  static void closePage() {
    try {
      if (chromium != null) {
        Set<ProcessHandle> started = chromium.processes();
        chromium.close();
        assertNoneAlive(started, chromium);
      }
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  /** Per test, not in openPage(): Surefire counts a skipped test, not a skipped class. */
  @BeforeEach
  void needsChromium() {
    HeadlessChromium.assumeAvailable();
  }

  private static void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      pageLoads.incrementAndGet();
      byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Test
  void initialText_isShown() {
    assertEquals("jmanager harness page", chromium.awaitText(
        "document.getElementById('title').textContent", "jmanager harness page"::equals, WITHIN));
    assertEquals("harness", chromium.evaluate("document.title"));
  }

  @Test
  void counter_changesWithoutReload() {
    int first = Integer.parseInt(chromium.awaitText(TICKS, s -> s.matches("\\d+"), WITHIN));
    chromium.evaluate("window.sameDocument = 'yes'");
    String later = chromium.awaitText(TICKS, s -> Integer.parseInt(s) >= first + 3, WITHIN);
    assertTrue(Integer.parseInt(later) >= first + 3, later);
    assertEquals("yes", chromium.evaluate("window.sameDocument"), "the page was reloaded");
    assertEquals(1, pageLoads.get(), "the page was fetched again");
  }

  @Test
  void awaitText_failsWithTheLastValue() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> chromium.awaitText("'stuck'", "moved"::equals, Duration.ofMillis(300)));
    assertTrue(e.getMessage().contains("\"stuck\""), e.getMessage());
  }

  @Test
  void throwingExpression_raisesPageExceptionWithItsText() {
    HeadlessChromium.PageException e = assertThrows(HeadlessChromium.PageException.class,
        () -> chromium.evaluate("(() => { throw new Error('boom from the page'); })()"));
    assertTrue(e.getMessage().contains("boom from the page"), e.getMessage());
    e = assertThrows(HeadlessChromium.PageException.class,
        () -> chromium.evaluate("Promise.reject(new Error('rejected later'))"));
    assertTrue(e.getMessage().contains("rejected later"), e.getMessage());
  }

  @Test
  void values_comeBackAsText() {
    assertEquals("3", chromium.evaluate("1 + 2"));
    assertEquals("0.5", chromium.evaluate("1 / 2"));
    assertEquals("true", chromium.evaluate("1 < 2"));
    assertEquals("NaN", chromium.evaluate("0 / 0"));
    assertEquals("later", chromium.evaluate("new Promise(r => setTimeout(() => r('later'), 50))"));
    assertNull(chromium.evaluate("undefined"));
    assertNull(chromium.evaluate("null"));
    assertThrows(IllegalStateException.class, () -> chromium.evaluate("({a: 1})"));
  }

  @Test
  void escapes_surviveTheRoundTrip() {
    // the expression needs escaping on the way out, the value on the way back
    String expression = "'q\"b\\\\c\\n\\t\\u0001\u00e9\u2603\ud83d\ude00' + \"\\u00e9\"";
    assertEquals("q\"b\\c\n\t\u0001\u00e9\u2603\ud83d\ude00\u00e9", chromium.evaluate(expression));
  }

  @Test
  void screenshot_isAPngOfTheWindow() throws IOException {
    Path png = Path.of("target", "headless-chromium-test.png");
    Files.deleteIfExists(png);
    chromium.screenshot(png);
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length));
    ByteBuffer header = ByteBuffer.wrap(bytes, 16, 8); // IHDR: width, height
    assertEquals(List.of(1280, 900), List.of(header.getInt(), header.getInt()));
  }

  @Test
  void close_endsEveryChromiumProcess() {
    Set<ProcessHandle> started;
    HeadlessChromium other = HeadlessChromium.open(url);
    try {
      started = other.processes();
      assertTrue(started.size() > 1, "expected a browser with helper processes: " + started);
    } finally {
      other.close();
    }
    assertNoneAlive(started, other);
  }

  @Test
  void chromiumThatExits_failsOpenWithItsOutput(@TempDir Path dir) throws IOException {
    Path fake = dir.resolve("chromium");
    Files.writeString(fake, "#!/bin/sh\necho 'cannot start in this place' >&2\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Set<Path> profilesBefore = profiles();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> HeadlessChromium.open(fake, url));
    assertTrue(e.getMessage().contains("exited with 3"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot start in this place"), e.getMessage());
    assertEquals(profilesBefore, profiles(), "a failed open left its profile behind");
  }

  private static Set<Path> profiles() throws IOException {
    try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return all.filter(p -> p.getFileName().toString().startsWith("jmanager-chromium-"))
          .collect(Collectors.toSet());
    }
  }

  private static void assertNoneAlive(Set<ProcessHandle> started, HeadlessChromium closed) {
    List<Long> alive = started.stream().filter(HeadlessChromium::isRunning).map(ProcessHandle::pid)
        .toList();
    assertEquals(List.of(), alive, "Chromium processes alive after close()");
    assertEquals(Set.of(), closed.processes(), "processes naming the profile after close()");
  }
}
