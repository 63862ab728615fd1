package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: a daemon JVM with objects, a held lock and a waiter; headless
 * Chromium loads the page and shows them, then shows what changes without a reload. The screenshot
 * goes to {@code target/dashboard.png}.
 */
class DashboardBrowserTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @Test
  void thePageShowsObjectsSessionsAndLocks_andUpdatesItself() throws Exception {
    HeadlessChromium.assumeAvailable();
    try (ManagerProcess daemon = ManagerProcess.start(List.of("-Xmx256m"), "--metrics-port", "0");
        Manager holder = daemon.connect();
        Manager waiter = daemon.connect()) {
      SharedDict<String, Integer> inventory = holder.dict("inventory");
      inventory.put("apples", 3);
      inventory.put("pears", 5);
      holder.<String>queue("jobs").put("job-1");
      SharedLock lock = holder.lock("orders.lock");
      lock.lock();
      CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
        SharedLock l = waiter.lock("orders.lock");
        l.lock();
        l.unlock();
      });
      Awaitility.await().atMost(10, TimeUnit.SECONDS)
          .until(() -> holder.info().objects().stream().anyMatch(o -> o.details().contains("1 waiting")));
      String url = holder.info().dashboard();
      assertTrue(url.startsWith("http://127.0.0.1:"), url);

      try (HeadlessChromium page = HeadlessChromium.open(url)) {
        page.awaitText("document.querySelector('#objects').innerText",
            t -> t.contains("inventory") && t.contains("jobs") && t.contains("orders.lock"), WITHIN);
        String locks = page.awaitText("document.querySelector('#locks').innerText",
            t -> t.contains("holds") && t.contains("waits"), WITHIN);
        assertTrue(locks.contains(String.valueOf(ProcessHandle.current().pid())), locks);
        page.awaitText("document.querySelector('#sessions tbody').rows.length", t -> t.equals("2"), WITHIN);

        // it updates by itself: a new object, calls on the chart, the lock handed over
        holder.dict("added.later").put("k", 1);
        for (int i = 0; i < 200; i++) {
          inventory.get("apples");
        }
        page.awaitText("document.querySelector('#objects').innerText", t -> t.contains("added.later"), WITHIN);
        page.awaitText("document.querySelectorAll('#chart polyline[data-type=\"dict\"]').length", t -> t.equals("1"), WITHIN);
        page.awaitText("document.querySelector('#legend').innerText", t -> t.contains("dict"), WITHIN);
        page.awaitText("document.querySelector('#locks').innerText", t -> t.contains("holds") && t.contains("waits"), WITHIN);
        Path png = Path.of("target", "dashboard.png"); // the README's picture: a lock held and awaited
        page.screenshot(png);
        assertTrue(Files.size(png) > 1000, "a screenshot of " + Files.size(png) + " bytes");
        lock.unlock();
        waiting.get(10, TimeUnit.SECONDS);
        page.awaitText("document.querySelector('#locks').innerText", t -> t.contains("no lock is held"), WITHIN);
        assertEquals("", page.evaluate("document.querySelector('#error').innerText"));

      }
    }
  }
}
