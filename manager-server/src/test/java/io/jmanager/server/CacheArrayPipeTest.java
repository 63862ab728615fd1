package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedDoubleArray;
import io.jmanager.client.SharedLongArray;
import io.jmanager.client.SharedPipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheArrayPipeTest extends DaemonTestBase {

  @Test
  void cache_sharedBetweenConnections_withStats() {
    SharedCache<String, Integer> c = m.cache("memo", "maximumSize=100,recordStats");
    AtomicInteger computed = new AtomicInteger();
    assertEquals(3, c.get("abc", k -> { computed.incrementAndGet(); return k.length(); }));
    SharedCache<String, Integer> seen = other.cache("memo", "maximumSize=100,recordStats");
    assertEquals(3, seen.get("abc", k -> { computed.incrementAndGet(); return -1; }));
    assertEquals(1, computed.get());
    assertNull(seen.getIfPresent("missing"));
    SharedCache.Stats s = c.stats();
    assertEquals(1, s.hitCount());
    assertEquals(2, s.missCount());
    assertEquals(1.0 / 3, s.hitRate(), 1e-9);
    c.putAll(Map.of("x", 1, "y", 2));
    assertEquals(Map.of("x", 1, "y", 2), c.getAllPresent(List.of("x", "y", "z")));
    c.invalidate("x");
    assertEquals(Map.of("abc", 3, "y", 2), c.asMap());
    c.invalidateAll();
    assertEquals(0, c.estimatedSize());
  }

  @Test
  void cache_expiresAfterWrite() {
    SharedCache<String, String> c = m.cache("short-lived", "expireAfterWrite=1s");
    c.put("k", "v");
    assertEquals("v", c.getIfPresent("k"));
    await().atMost(Duration.ofSeconds(5)).until(() -> c.getIfPresent("k") == null);
    // the size counts an expired entry until the cache's maintenance removes it, an instant later
    await().atMost(Duration.ofSeconds(5)).until(() -> c.estimatedSize() == 0);
  }

  @Test
  void cache_evictsBySize() {
    SharedCache<Integer, Integer> c = m.cache("small", "maximumSize=10,recordStats");
    for (int i = 0; i < 100; i++) {
      c.put(i, i);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> c.estimatedSize() <= 10);
    assertTrue(c.stats().evictionCount() >= 90, "evictions: " + c.stats().evictionCount());
  }

  @Test
  void cache_badSpecOrOtherSpec_isAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.cache("bad", "maximumSize=lots"));
    assertTrue(e.getMessage().contains("maximumSize=lots"), e.getMessage());
    assertFalse(m.exists("bad"));
    m.cache("fixed", "maximumSize=5");
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> m.cache("fixed", "maximumSize=6"));
    assertTrue(s.getMessage().contains("maximumSize=5") && s.getMessage().contains("maximumSize=6"), s.getMessage());
  }

  @Test
  void longArray_atomicOpsAndBounds() {
    SharedLongArray a = m.longArray("counts", 4);
    assertEquals(4, a.length());
    assertEquals(5, a.addAndGet(2, 5));
    assertEquals(7, other.longArray("counts", 4).addAndGet(2, 2));
    a.set(0, new long[] {9, 8});
    assertArrayEquals(new long[] {9, 8, 7, 0}, a.toArray());
    assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
    assertThrows(IndexOutOfBoundsException.class, () -> a.set(3, new long[] {1, 2}));
    assertThrows(IllegalStateException.class, () -> m.longArray("counts", 5));
  }

  @Test
  void doubleArray_atomicOpsAndBounds() {
    SharedDoubleArray a = m.doubleArray("weights", 3);
    assertEquals(1.5, a.addAndGet(1, 1.5));
    a.set(2, 0.25);
    assertArrayEquals(new double[] {0, 1.5, 0.25}, other.doubleArray("weights", 3).toArray());
    assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 1.0));
  }

  @Test
  void pipe_endsReceiveWhatTheOtherSends_inOrder() throws Exception {
    SharedPipe.End left = m.pipe("p").left();
    SharedPipe.End right = other.pipe("p").right();
    assertFalse(right.poll(Duration.ofMillis(50)));
    left.send("one");
    left.send(2);
    assertTrue(right.poll(Duration.ofSeconds(1)));
    assertEquals("one", right.recv());
    assertEquals(2, (int) right.recv());
    assertNull(right.recv(Duration.ofMillis(50)));
    CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> {
      try {
        return left.recv();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    right.send("back");
    assertEquals("back", reply.get(5, TimeUnit.SECONDS));
  }
}
