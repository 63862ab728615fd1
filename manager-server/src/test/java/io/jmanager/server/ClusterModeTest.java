package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.SharedValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three daemons in cluster mode, in this JVM: one store whichever daemon a client reaches. */
class ClusterModeTest {
  static TestCluster cluster;
  static List<ManagerServer> DAEMONS;
  static List<Manager> CLIENTS;
  static byte[] KEY;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster("test", b -> b);
    DAEMONS = cluster.daemons;
    CLIENTS = cluster.clients;
    KEY = cluster.key;
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDictIsOneDictWhicheverDaemonServesIt() {
    SharedDict<String, Integer> a = CLIENTS.get(0).dict("cluster.dict");
    SharedDict<String, Integer> b = CLIENTS.get(1).dict("cluster.dict");
    a.put("k", 1);
    assertEquals(1, b.get("k"));
    b.merge("k", 41, Integer::sum);
    assertEquals(42, CLIENTS.get(2).<String, Integer>dict("cluster.dict").get("k"));
    assertEquals(10L, a.increment("n", 10));
    assertEquals(15L, b.increment("n", 5));
    assertNull(a.putIfAbsent("p", 7));
    assertEquals(7, b.putIfAbsent("p", 8));
    assertTrue(b.replace("p", 7, 9));
    assertEquals(java.util.Map.of("k", 42, "p", 9), a.getAll(List.of("k", "p", "absent")));
  }

  @Test
  void countersAndValuesAreShared() {
    SharedCounter a = CLIENTS.get(0).counter("cluster.counter");
    SharedCounter c = CLIENTS.get(2).counter("cluster.counter");
    a.addAndGet(5);
    assertEquals(6, c.incrementAndGet());
    SharedValue<String> v = CLIENTS.get(1).value("cluster.value", "first");
    assertEquals("first", CLIENTS.get(0).<String>value("cluster.value", "ignored").get());
    assertTrue(CLIENTS.get(2).<String>value("cluster.value", "x").compareAndSet("first", "second"));
    assertEquals("second", v.get());
  }

  @Test
  void aQueueIsOneQueue_andAParkedTakeIsServedByAPutOnAnotherDaemon() throws Exception {
    SharedQueue<String> a = CLIENTS.get(0).queue("cluster.queue");
    SharedQueue<String> b = CLIENTS.get(1).queue("cluster.queue");
    a.put("one");
    assertEquals("one", b.take());
    CompletableFuture<String> parked = CompletableFuture.supplyAsync(() -> {
      try {
        return b.take();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> DAEMONS.get(1).info().objects().stream()
        .anyMatch(o -> o.name().equals("cluster.queue") && o.details().contains("1 takers")));
    CLIENTS.get(2).<String>queue("cluster.queue").put("two");
    assertEquals("two", parked.get(10, TimeUnit.SECONDS));
    assertNull(b.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void aBoundedQueue_parksAPutterUntilATakeOnAnotherDaemon() throws Exception {
    SharedQueue<Integer> a = CLIENTS.get(0).queue("cluster.bounded", 1);
    SharedQueue<Integer> c = CLIENTS.get(2).queue("cluster.bounded", 1);
    a.put(1);
    assertTrue(!c.offer(2));
    CompletableFuture<Void> putting = CompletableFuture.runAsync(() -> {
      try {
        c.put(2);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> DAEMONS.get(2).info().objects().stream()
        .anyMatch(o -> o.name().equals("cluster.bounded") && o.details().contains("1 putters")));
    assertEquals(1, CLIENTS.get(1).<Integer>queue("cluster.bounded", 1).take());
    putting.get(10, TimeUnit.SECONDS);
    assertEquals(2, a.take());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CLIENTS.get(1).queue("cluster.bounded", 5));
    assertTrue(e.getMessage().contains("capacity=1"), e.getMessage());
  }

  @Test
  void aThousandParkedTakesOnThreeDaemons_areReleasedByPutsOnAnother() throws Exception {
    int n = 1000;
    List<Thread> threads = new ArrayList<>();
    java.util.Set<Integer> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < n; i++) {
      SharedQueue<Integer> q = CLIENTS.get(i % 3).queue("cluster.many");
      Thread t = new Thread(() -> {
        try {
          taken.add(q.take());
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      });
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> DAEMONS.stream().mapToLong(d -> d.info().objects().stream()
        .filter(o -> o.name().equals("cluster.many")).mapToLong(o -> takers(o.details())).sum()).sum() == n);
    SharedQueue<Integer> putter = CLIENTS.get(1).queue("cluster.many");
    for (int i = 0; i < n; i++) {
      putter.put(i);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertEquals(0, failures.get());
    assertEquals(n, taken.size());
    assertEquals(0, putter.size());
  }

  private static long takers(String details) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) takers").matcher(details);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void fourWorkerJvmsOnDifferentDaemons_mergeOneKeyExactly() throws Exception {
    List<io.jmanager.client.WorkerProcess> workers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        workers.add(io.jmanager.client.WorkerProcess.of(Workers.Adder.class, "merge", "cluster.merged", "n", "2000")
            .manager(CLIENTS.get(i % 3)).start());
      }
      for (io.jmanager.client.WorkerProcess w : workers) {
        assertEquals(0, WorkerTestBase.exitOf(w), w.toString());
      }
    } finally {
      workers.forEach(io.jmanager.client.WorkerProcess::kill);
    }
    assertEquals(8000, CLIENTS.get(2).<String, Integer>dict("cluster.merged").get("n"));
  }

  @Test
  void status_showsTheMembers_theirHealth_andEachDaemonsClients() {
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
      String status = Main.format(CLIENTS.get(0).info());
      return DAEMONS.stream().allMatch(d -> status.contains("daemon " + d.addressString() + ", "))
          && status.contains("3 member(s)") && status.contains("CP subsystem: 3 CP member(s), formed")
          && status.contains("partitions safe") && status.contains("<- this daemon")
          && status.contains("pid " + ProcessHandle.current().pid() + " at ");
    });
  }

  @Test
  void aLockIsOneLockAcrossDaemons_withTheOwnerRulesOfOneDaemon() throws Exception {
    SharedLock a = CLIENTS.get(0).lock("cluster.lock");
    SharedLock b = CLIENTS.get(1).lock("cluster.lock");
    a.lock();
    assertFalse(b.tryLock());
    assertThrows(IllegalMonitorStateException.class, b::unlock);
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
      b.lock();
      b.unlock();
    });
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> DAEMONS.get(1).info().objects().stream()
        .anyMatch(o -> o.name().equals("cluster.lock") && o.details().contains("1 waiting here")));
    a.unlock();
    waiting.get(20, TimeUnit.SECONDS);

    SharedLock r = CLIENTS.get(2).rlock("cluster.rlock");
    r.lock();
    r.lock();
    r.unlock();
    assertFalse(CLIENTS.get(0).rlock("cluster.rlock").tryLock());
    r.unlock();
    assertTrue(CLIENTS.get(0).rlock("cluster.rlock").tryLock(10, TimeUnit.SECONDS));
    CLIENTS.get(0).rlock("cluster.rlock").unlock();
  }

  @Test
  void aClientsLostConnection_releasesItsLockToAClientOfAnotherDaemon() throws Exception {
    Manager leaving = Manager.builder().address(DAEMONS.get(2).address()).authkey(KEY).connect();
    leaving.lock("cluster.lock.lost").lock();
    SharedLock other = CLIENTS.get(0).lock("cluster.lock.lost");
    assertFalse(other.tryLock());
    leaving.close();
    assertTrue(other.tryLock(20, TimeUnit.SECONDS));
    other.unlock();
  }

  @Test
  void namespacesAndArraysAreShared_andArrayAddsAreAtomicAcrossDaemons() throws Exception {
    io.jmanager.client.SharedNamespace ns = CLIENTS.get(0).namespace("cluster.ns");
    ns.set("a", 1);
    ns.set("n", null);
    io.jmanager.client.SharedNamespace other = CLIENTS.get(1).namespace("cluster.ns");
    assertEquals(Integer.valueOf(1), other.get("a"));
    assertNull(other.get("n"));
    assertEquals(java.util.Set.of("a", "n"), other.attributes());
    assertTrue(other.delete("a"));
    assertThrows(java.util.NoSuchElementException.class, () -> ns.get("a"));

    io.jmanager.client.SharedDoubleArray d = CLIENTS.get(2).doubleArray("cluster.doubles", 2);
    assertEquals(1.5, CLIENTS.get(0).doubleArray("cluster.doubles", 2).addAndGet(1, 1.5));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 1.5}, d.toArray());

    List<CompletableFuture<Void>> adders = new ArrayList<>();
    for (Manager m : CLIENTS) {
      io.jmanager.client.SharedLongArray a = m.longArray("cluster.longs", 4);
      adders.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 500; i++) {
          a.addAndGet(2, 1);
        }
      }));
    }
    for (CompletableFuture<Void> f : adders) {
      f.get(60, TimeUnit.SECONDS);
    }
    io.jmanager.client.SharedLongArray a = CLIENTS.get(1).longArray("cluster.longs", 4);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 0, 1500, 0}, a.toArray());
    assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CLIENTS.get(0).longArray("cluster.longs", 5));
    assertTrue(e.getMessage().contains("length=4"), e.getMessage());
  }

  @Test
  void aTypeTheClusterCannotHold_isRefusedClearly() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> CLIENTS.get(0).condition("cluster.condition"));
    assertTrue(e.getMessage().contains("cluster mode") && e.getMessage().contains("README"), e.getMessage());
  }
}
