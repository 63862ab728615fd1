package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.server.metrics.MetricsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code /metrics} after known traffic shows its counts; the dashboard's state; who may read them. */
class MetricsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void scrapeAfterKnownTraffic_showsItsCounts() throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.metrics("127.0.0.1", 0))) {
      String base = daemon.server.dashboardUrl().orElseThrow();
      Manager m = daemon.connect();
      SharedDict<String, Integer> d = m.dict("metered");
      for (int i = 0; i < 10; i++) {
        d.put("k" + i, i);
      }
      for (int i = 0; i < 5; i++) {
        d.get("k" + i);
      }
      SharedList<String> list = m.list("metered.list");
      assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
      SharedQueue<String> q = m.queue("metered.q");
      Manager other = daemon.connect();
      CompletableFuture<String> take = CompletableFuture.supplyAsync(() -> {
        try {
          return other.<String>queue("metered.q").take();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> value(get(base + "metrics"), "jmanager_parked_calls", "") == 1);

      String text = get(base + "metrics");
      assertEquals(10, value(text, "jmanager_calls_seconds_count", "method=\"put\",type=\"dict\""), text);
      assertEquals(5, value(text, "jmanager_calls_seconds_count", "method=\"get\",type=\"dict\""), text);
      assertTrue(text.contains("jmanager_calls_seconds_bucket{method=\"put\",type=\"dict\",le=\"0.001\"}"), text);
      assertEquals(1, value(text, "jmanager_errors_total", "kind=\"IndexOutOfBoundsException\""), text);
      assertEquals(2, value(text, "jmanager_sessions", ""), text);
      assertEquals(10, value(text, "jmanager_object_size", "name=\"metered\",type=\"dict\""), text);
      assertEquals(1, value(text, "jmanager_objects", "type=\"list\""), text);
      assertTrue(value(text, "jmanager_received_bytes_total", "") > 0 && value(text, "jmanager_sent_bytes_total", "") > 0, text);
      assertTrue(value(text, "jmanager_data_budget_bytes", "") > 0, text);
      assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\""), text);
      assertTrue(text.contains("jvm_gc_"), text);

      q.put("x");
      assertEquals("x", take.get(10, TimeUnit.SECONDS));
      String after = get(base + "metrics");
      assertEquals(1, value(after, "jmanager_calls_seconds_count", "method=\"take\",type=\"queue\""), after);
      assertEquals(0, value(after, "jmanager_parked_calls", ""), after);
    }
  }

  @Test
  void dashboardState_showsObjectsSessionsAndLockHolders() throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.metrics("127.0.0.1", 0))) {
      String base = daemon.server.dashboardUrl().orElseThrow();
      Manager m = daemon.connect();
      m.<String, Integer>dict("inventory").put("apples", 3);
      SharedLock lock = m.lock("orders.lock");
      lock.lock();
      String state = get(base + "api/state");
      assertTrue(state.contains("{\"name\":\"inventory\",\"type\":\"dict\",\"size\":1,"), state);
      assertTrue(state.contains("{\"object\":\"orders.lock\",\"type\":\"lock\",\"role\":\"holds\""), state);
      assertTrue(state.contains("\"pid\":" + ProcessHandle.current().pid()), state);
      assertTrue(get(base).contains("<script src=\"dashboard.js\">"));
      assertTrue(get(base + "dashboard.js").contains("api/state"));
      assertTrue(m.info().dashboard().startsWith(base), m.info().dashboard());
      lock.unlock();
    }
  }

  @Test
  void onLoopback_aForeignHostIsRefused() throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.metrics("127.0.0.1", 0))) {
      String base = daemon.server.dashboardUrl().orElseThrow();
      int port = daemon.server.metricsAddress().orElseThrow().getPort();
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) { // HttpClient will not set a Host
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: attacker.example\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 401") && answer.contains("loopback"), answer);
      }
      assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(base + "nothing")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void boundElsewhere_everyRequestNeedsTheToken() throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.metrics("0.0.0.0", 0))) {
      int port = daemon.server.metricsAddress().orElseThrow().getPort();
      String token = MetricsServer.token(daemon.authkey);
      String url = daemon.server.dashboardUrl().orElseThrow();
      assertTrue(url.endsWith("/?token=" + token), url);
      String base = "http://127.0.0.1:" + port + "/";
      HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      assertTrue(refused.body().contains("bin/jmanager status"), refused.body());
      assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/state?token=" + token.replace('a', 'b') + "0"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/state?token=" + token)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + "metrics"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void metricsOff_byDefault_andAPortInUseNamesTheKey() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      assertFalse(daemon.server.metricsAddress().isPresent());
      assertEquals("", daemon.connect().info().dashboard());
      int taken = 0;
      try (TestDaemon first = new TestDaemon(b -> b.metrics("127.0.0.1", 0))) {
        taken = first.server.metricsAddress().orElseThrow().getPort();
        int port = taken;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ManagerServer.builder()
            .bind("127.0.0.1").port(0).unixPath("off").authkey(daemon.authkey).metrics("127.0.0.1", port).start());
        assertTrue(e.getMessage().contains("metrics.port") && e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      }
    }
  }

  /** The value of the sample {@code name{labels}} in a Prometheus text exposition ({@code labels} "" for none). */
  static double value(String exposition, String name, String labels) {
    Pattern p = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "(\\{[^}]*\\})?" : "\\{" + Pattern.quote(labels) + "[^}]*\\}")
        + " ([0-9.eE+-]+)$");
    Matcher matcher = p.matcher(exposition);
    if (!matcher.find()) {
      throw new AssertionError("no " + name + "{" + labels + "} in:\n" + exposition);
    }
    return Double.parseDouble(matcher.group(matcher.groupCount()));
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }
}
