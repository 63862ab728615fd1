package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.JoinableQueue;
import io.jmanager.client.Manager;
import io.jmanager.client.NotAllowedException;
import io.jmanager.client.SharedQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class QueueTest extends DaemonTestBase {

  record Secret(String s) {}

  @Test
  void take_waitsForAPutFromAnotherConnection() throws Exception {
    SharedQueue<String> q = m.queue("handoff");
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return q.take();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Manager other = daemon.connect();
    await().until(() -> daemon.server.info().objects().stream()
        .anyMatch(o -> o.name().equals("handoff") && o.details().contains("1 takers")));
    other.<String>queue("handoff").put("item");
    assertEquals("item", taken.get(5, TimeUnit.SECONDS));
  }

  @Test
  void pollWithTimeout_returnsNullOnTime() throws Exception {
    SharedQueue<String> q = m.queue("empty");
    long start = System.nanoTime();
    assertNull(q.poll(300, TimeUnit.MILLISECONDS));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 290 && ms < 3000, "took " + ms + " ms");
  }

  @Test
  void boundedQueue_putWaitsForRoom_offerTimesOut() throws Exception {
    SharedQueue<Integer> q = m.queue("bounded", 2);
    q.put(1);
    q.put(2);
    assertEquals(0, q.remainingCapacity());
    assertFalse(q.offer(3));
    assertFalse(q.offer(3, 100, TimeUnit.MILLISECONDS));
    CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
      try {
        q.put(3);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().until(() -> daemon.server.info().objects().stream()
        .anyMatch(o -> o.name().equals("bounded") && o.details().contains("1 putters")));
    assertEquals(1, q.take());
    put.get(5, TimeUnit.SECONDS);
    assertEquals(List.of(2, 3), q.copy());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.queue("bounded", 5));
    assertTrue(e.getMessage().contains("capacity=2") && e.getMessage().contains("capacity=5"), e.getMessage());
    assertEquals(2, m.queue("bounded").size()); // queue(name) takes whatever exists
    List<Integer> drained = new ArrayList<>();
    assertEquals(1, q.drainTo(drained, 1));
    assertEquals(1, q.drainTo(drained));
    assertEquals(List.of(2, 3), drained);
    assertEquals(2, q.remainingCapacity());
  }

  @Test
  void interruptedTake_cancelsItsWait_laterPutIsNotLost() throws Exception {
    SharedQueue<String> q = m.queue("interrupt");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread taker = new Thread(() -> {
      try {
        q.take();
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    taker.start();
    await().until(() -> daemon.server.info().objects().stream()
        .anyMatch(o -> o.name().equals("interrupt") && o.details().contains("1 takers")));
    taker.interrupt();
    taker.join(5000);
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    await().until(() -> daemon.server.info().objects().stream()
        .anyMatch(o -> o.name().equals("interrupt") && o.details().contains("0 takers")));
    q.put("kept");
    assertEquals(List.of("kept"), q.copy());
  }

  @Test
  void disallowedValue_failsThePut_queueUnchanged_connectionUsable() throws Exception {
    SharedQueue<Object> q = m.queue("guarded");
    q.put("a");
    NotAllowedException e = assertThrows(NotAllowedException.class, () -> q.put(new Secret("x")));
    assertTrue(e.getMessage().contains(Secret.class.getName()) && e.getMessage().contains("serialization.allow"));
    assertEquals(List.of("a"), q.copy());
    assertEquals("a", q.poll());
  }

  @Test
  void joinableQueue_joinWaitsForTaskDone() throws Exception {
    JoinableQueue<String> q = m.joinableQueue("jobs");
    assertTrue(q.join(Duration.ofMillis(10)));
    q.put("a");
    q.put("b");
    assertFalse(q.join(Duration.ofMillis(100)));
    CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
      try {
        q.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    q.take();
    q.taskDone();
    assertFalse(joined.isDone());
    q.take();
    q.taskDone();
    joined.get(5, TimeUnit.SECONDS);
    assertThrows(IllegalStateException.class, q::taskDone);
  }

  @Test
  void thousandParkedTakes_fromFourConnections_allAnswered_daemonThreadsBounded() throws Exception {
    int waiters = 1000;
    try (ManagerProcess child = ManagerProcess.start()) {
      List<Manager> conns = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        conns.add(child.connect());
      }
      int threadsBefore = conns.get(0).info().threads();
      ExecutorService pool = Executors.newFixedThreadPool(waiters);
      ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
      CountDownLatch done = new CountDownLatch(waiters);
      try {
        for (int i = 0; i < waiters; i++) {
          SharedQueue<Integer> q = conns.get(i % 4).queue("many");
          pool.execute(() -> {
            try {
              got.add(q.take());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              done.countDown();
            }
          });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> conns.get(1).info().objects().stream()
            .anyMatch(o -> o.name().equals("many") && o.details().contains(waiters + " takers")));
        int threadsWaiting = conns.get(1).info().threads();
        assertTrue(threadsWaiting <= threadsBefore + 2,
            "daemon threads went from " + threadsBefore + " to " + threadsWaiting + " with " + waiters + " parked takes");
        // an unrelated call on a connection with 250 parked takes is answered meanwhile
        conns.get(0).dict("meanwhile").put("k", "v");
        assertEquals("v", conns.get(0).dict("meanwhile").get("k"));
        try (Manager producerConn = child.connect()) {
          SharedQueue<Integer> producer = producerConn.queue("many");
          for (int i = 0; i < waiters; i++) {
            producer.put(i);
          }
          assertTrue(done.await(30, TimeUnit.SECONDS));
        }
        assertEquals(waiters, got.size());
        assertEquals(waiters, got.stream().distinct().count());
      } finally {
        pool.shutdownNow();
        conns.forEach(Manager::close);
      }
    }
  }
}
