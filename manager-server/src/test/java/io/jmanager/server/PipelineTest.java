package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.Pipeline;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pipelines: calls sent without waiting, answered as futures, failures kept to their own call. */
class PipelineTest {

  @Test
  void tenThousandCalls_oneFailingInTheMiddle_theRestComplete() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedDict<String, Integer> d = m.dict("p.dict");
      SharedList<String> l = m.list("p.list");
      List<CompletableFuture<Integer>> puts = new ArrayList<>();
      CompletableFuture<String> bad;
      try (Pipeline p = m.pipeline()) {
        for (int i = 0; i < 5_000; i++) {
          int v = i;
          puts.add(p.add(() -> d.put("k" + v, v)));
        }
        bad = p.add(() -> l.get(99)); // the list is empty: IndexOutOfBoundsException, on the daemon
        for (int i = 5_000; i < 9_999; i++) {
          int v = i;
          puts.add(p.add(() -> d.put("k" + v, v)));
        }
      }
      assertEquals(9_999, puts.size());
      for (CompletableFuture<Integer> f : puts) {
        assertTrue(f.isDone(), "close() waited for every call");
        assertNull(f.get(), "a fresh key had no previous value");
      }
      ExecutionException e = assertThrows(ExecutionException.class, bad::get);
      assertInstanceOf(IndexOutOfBoundsException.class, e.getCause());
      assertEquals(9_999, d.size());
      assertEquals(42, d.get("k42"));

      // results come back in the futures, and get() works before close()
      try (Pipeline p = m.pipeline()) {
        CompletableFuture<Integer> first = p.add(() -> d.get("k1"));
        CompletableFuture<Integer> last = p.add(() -> d.get("k9998"));
        assertEquals(9_998, last.get(30, TimeUnit.SECONDS));
        assertEquals(1, first.get(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void mixingTypesAndUserTypes_eachFutureGetsItsOwnAnswer() throws Exception {
    try (TestDaemon daemon = new TestDaemon(b -> b.register("greeter", Greeter.class, UserTypeTest.SlowCounter::new))) {
      Manager m = daemon.connect();
      SharedDict<String, String> d = m.dict("mix.d");
      SharedCounter c = m.counter("mix.c");
      SharedQueue<Integer> q = m.queue("mix.q");
      Greeter g = m.proxy("greeter", "mix.g", Greeter.class);
      CompletableFuture<String> put;
      CompletableFuture<Long> incremented;
      CompletableFuture<Boolean> offered;
      CompletableFuture<String> greeted;
      CompletableFuture<Integer> polled;
      CompletableFuture<Void> cleared;
      CompletableFuture<Long> local;
      try (Pipeline p = m.pipeline()) {
        put = p.add(() -> d.put("a", "1"));
        incremented = p.add(() -> c.addAndGet(5));
        offered = p.add(() -> q.offer(7));
        greeted = p.add(() -> g.greet("ada"));
        polled = p.add(() -> q.poll());
        cleared = p.add(() -> d.clear());
        local = p.add(() -> 41L + 1); // no remote call: the lambda's value
      }
      assertNull(put.get());
      assertEquals(5L, incremented.get());
      assertTrue(offered.get());
      assertEquals("ada", greeted.get());
      assertEquals(7, polled.get());
      assertNull(cleared.get());
      assertEquals(42L, local.get());
      assertTrue(d.isEmpty());
      assertEquals(1, g.count());
    }
  }

  @Test
  void getAll_isOneRoundTrip_presentKeysInOrder() {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedDict<String, Integer> d = m.dict("getall");
      d.putAll(java.util.Map.of("a", 1, "b", 2, "c", 3));
      long before = m.info().callsServed();
      java.util.Map<String, Integer> got = d.getAll(List.of("c", "zz", "a"));
      long calls = m.info().callsServed() - before;
      assertEquals(List.of("c", "a"), new ArrayList<>(got.keySet()));
      assertEquals(3, got.get("c"));
      assertEquals(2, calls, "getAll and the second info(): one call each");
      assertThrows(NullPointerException.class, () -> d.getAll(java.util.Arrays.asList("a", null)));
    }
  }

  @Test
  void aCallbackMakingACall_inTheReadingThread_doesNotDeadlock() {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedDict<String, Integer> d = m.dict("callback");
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
        CompletableFuture<Integer> chained;
        try (Pipeline p = m.pipeline()) {
          // the callback runs in the thread that reads put's answer, and calls the daemon itself
          chained = p.add(() -> d.put("a", 1)).thenApply(previous -> d.get("a") + 1);
        }
        assertEquals(2, chained.get());
      });
    }
  }

  @Test
  void dependentJoinedInsideTheBlock_andAFutureAwaitedByTwoThreads_complete() {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedDict<String, Integer> d = m.dict("waiters");
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (Pipeline p = m.pipeline()) {
          CompletableFuture<String> dependent = p.add(() -> d.put("a", 1)).thenApply(previous -> "after " + previous);
          assertEquals("after null", dependent.join(), "a dependent's join sends the buffered call and reads");
          CompletableFuture<Integer> got = p.add(() -> d.get("a"));
          java.util.concurrent.Future<Integer> first = two.submit(() -> got.get());
          java.util.concurrent.Future<Integer> second = two.submit(() -> got.get(20, java.util.concurrent.TimeUnit.SECONDS));
          assertEquals(1, first.get());
          assertEquals(1, second.get());
        } finally {
          two.shutdownNow();
        }
      });
    }
  }

  @Test
  void misuse_failsThatCallOnly() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      SharedDict<String, Integer> d = m.dict("misuse");
      SharedQueue<Integer> q = m.queue("misuse.q");
      try (Pipeline p = m.pipeline()) {
        CompletableFuture<Integer> merged = p.add(() -> d.merge("n", 1, Integer::sum));
        CompletableFuture<Integer> taken = p.add(() -> q.take());
        CompletableFuture<Integer> twice = p.add(() -> {
          d.put("x", 1);
          return d.get("x");
        });
        CompletableFuture<Integer> fine = p.add(() -> d.put("y", 2));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class, merged::get).getCause());
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class, taken::get).getCause());
        assertInstanceOf(IllegalStateException.class, assertThrows(CompletionException.class, twice::join).getCause());
        assertNull(fine.get());
      }
      assertEquals(2, d.get("y"));
      assertEquals(1, d.get("x"), "the first call of the refused lambda was sent");
    }
  }

  @Test
  void lostConnection_failsEveryUnfinishedFuture() throws Exception {
    try (ManagerProcess daemon = ManagerProcess.start()) {
      Manager m = DaemonLossTest.connect(daemon, java.time.Duration.ZERO); // the loss is final
      SharedDict<String, Integer> d = m.dict("lost");
      d.put("warm", 1);
      Pipeline p = m.pipeline();
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int v = i;
        futures.add(p.add(() -> d.put("k" + v, v))); // buffered, not yet written
      }
      daemon.kill();
      org.awaitility.Awaitility.await().until(() -> !daemon.isAlive());
      p.close();
      for (CompletableFuture<Integer> f : futures) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(ConnectionLostException.class, e.getCause());
      }
      CompletableFuture<Integer> later = m.pipeline().add(() -> d.get("warm"));
      assertInstanceOf(ConnectionLostException.class, assertThrows(ExecutionException.class, later::get).getCause());
    }
  }
}
