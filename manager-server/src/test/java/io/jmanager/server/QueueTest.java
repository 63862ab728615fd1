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
import io.jmanager.client.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class QueueTest extends DaemonTestBase {
  /**
   * How many threads a daemon may add while thousands of calls wait: none per waiter. The user
   * pool's threads ({@code user.threads}, 4) start on first use, when an object's calls move off
   * the event loops (a burst of a thousand takes can make one look slow); and 2 more.
   */
  static final int THREAD_BOUND = 4 + 2;

  /** What status shows for the queue {@code name}: capacity, waiters. */
  private static String details(String name) {
    return SynchronizationTest.details(m, name);
  }

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
    await().until(() -> details("jobs").endsWith("2 unfinished tasks, 1 joining"));
    q.take();
    q.taskDone();
    assertTrue(details("jobs").endsWith("1 unfinished tasks, 1 joining"), "still parked with a task left");
    assertFalse(joined.isDone());
    q.take();
    q.taskDone();
    joined.get(5, TimeUnit.SECONDS);
    assertTrue(details("jobs").endsWith("0 unfinished tasks, 0 joining"), details("jobs"));
    assertThrows(IllegalStateException.class, q::taskDone);
  }

  /**
   * What the README says: a thousand parked takes from four processes (worker JVMs with 250
   * threads each), against a daemon in its own JVM whose thread count is read before and while they
   * wait. Before, the daemon is warmed up: every event loop has had a connection and a parked wait.
   */
  @Test
  void thousandParkedTakes_fromFourWorkerJvms_allAnswered_daemonThreadsFlat() throws Exception {
    int perWorker = 250;
    int waiters = 4 * perWorker;
    List<WorkerProcess> workers = new ArrayList<>();
    try (ManagerProcess child = ManagerProcess.start(); Manager observer = child.connect()) {
      List<Manager> warm = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        warm.add(child.connect());
        assertNull(warm.get(i).queue("warm").poll(1, TimeUnit.MILLISECONDS));
      }
      warm.forEach(Manager::close);
      int threadsBefore = observer.info().threads();
      for (int i = 0; i < 4; i++) {
        workers.add(WorkerProcess.of(Workers.OneTakeEach.class, "many", "many.got", Integer.toString(perWorker))
            .manager(observer).jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start());
      }
      await().atMost(Duration.ofSeconds(90)).until(() -> observer.info().objects().stream()
          .anyMatch(o -> o.name().equals("many") && o.details().contains(waiters + " takers")));
      int threadsWaiting = observer.info().threads();
      assertTrue(threadsWaiting <= threadsBefore + THREAD_BOUND,
          "daemon threads went from " + threadsBefore + " to " + threadsWaiting + " with " + waiters + " parked takes");
      observer.dict("meanwhile").put("k", "v"); // an unrelated call is answered meanwhile
      assertEquals("v", observer.dict("meanwhile").get("k"));
      SharedQueue<Integer> producer = observer.queue("many");
      for (int i = 0; i < waiters; i++) {
        producer.put(i);
      }
      for (WorkerProcess w : workers) {
        assertEquals(0, WorkerTestBase.exitOf(w), w + " got an item for each of its threads");
      }
      List<Object> got = observer.list("many.got").copy();
      assertEquals(waiters, got.size());
      assertEquals(waiters, got.stream().distinct().count());
      assertEquals(0, producer.size());
    } finally {
      workers.forEach(WorkerProcess::kill);
    }
  }
}
