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
  void exists_andNames_seeTheWholeCluster_notOnlyWhatThisDaemonBound() {
    CLIENTS.get(0).dict("cluster.only.on.first").put("k", 1);
    assertTrue(CLIENTS.get(2).exists("cluster.only.on.first"));
    assertTrue(CLIENTS.get(2).names().contains("cluster.only.on.first"));
    CLIENTS.get(1).delete("cluster.only.on.first");
    assertFalse(CLIENTS.get(2).exists("cluster.only.on.first"));
    assertFalse(CLIENTS.get(0).names().contains("cluster.only.on.first"));
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
    CLIENTS.get(0).delete("cluster.bounded");
    IllegalStateException reborn = assertThrows(IllegalStateException.class, () -> CLIENTS.get(1).queue("cluster.bounded", 5));
    assertTrue(reborn.getMessage().contains("before with another capacity"), reborn.getMessage());
    assertTrue(CLIENTS.get(2).<Integer>queue("cluster.bounded", 1).offer(7), "the same capacity again: a new queue");
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

  /** Whether daemon {@code d}'s status shows object {@code name} with {@code words} in its details. */
  private static boolean shows(int d, String name, String words) {
    return DAEMONS.get(d).info().objects().stream().anyMatch(o -> o.name().equals(name) && o.details().contains(words));
  }

  @Test
  void aJoinableQueue_joinedOnOneDaemon_isReleasedByTaskDoneOnAnother() throws Exception {
    io.jmanager.client.JoinableQueue<String> producer = CLIENTS.get(0).joinableQueue("cluster.jq");
    io.jmanager.client.JoinableQueue<String> consumer = CLIENTS.get(1).joinableQueue("cluster.jq");
    io.jmanager.client.JoinableQueue<String> joiner = CLIENTS.get(2).joinableQueue("cluster.jq");
    assertTrue(joiner.join(java.time.Duration.ofMillis(100)), "nothing put: nothing to wait for");
    producer.put("a");
    producer.put("b");
    CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
      try {
        joiner.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> shows(2, "cluster.jq", "2 unfinished tasks, 1 joining"));
    assertFalse(joiner.join(java.time.Duration.ofMillis(200)), "two tasks unfinished");
    assertEquals("a", consumer.take());
    consumer.taskDone();
    assertEquals("b", consumer.take());
    assertFalse(joined.isDone());
    consumer.taskDone();
    joined.get(10, TimeUnit.SECONDS);
    IllegalStateException e = assertThrows(IllegalStateException.class, producer::taskDone);
    assertTrue(e.getMessage().contains("more times than there were items put"), e.getMessage());

  }

  @Test
  void aSemaphore_isOneSemaphore_withTheReleaseRulesOfOneDaemon() throws Exception {
    Manager holder = Manager.builder().address(DAEMONS.get(0).address()).authkey(KEY).connect();
    io.jmanager.client.SharedSemaphore held = holder.semaphore("cluster.sem", 2);
    io.jmanager.client.SharedSemaphore s1 = CLIENTS.get(1).semaphore("cluster.sem", 2);
    io.jmanager.client.SharedSemaphore s2 = CLIENTS.get(2).semaphore("cluster.sem", 2);
    held.acquire(2);
    assertFalse(s1.tryAcquire());
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
      try {
        s1.acquire();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> shows(1, "cluster.sem", "1 waiting on this daemon"));
    s2.release(); // a client that took none may release, as on one daemon: the holder's record goes down
    waiting.get(10, TimeUnit.SECONDS);
    assertEquals(0, s2.availablePermits());
    holder.close(); // it held 2, one of them released by another: 1 comes back, not 2
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> s2.availablePermits() == 1);
    s1.release();
    assertEquals(2, s2.availablePermits());

    io.jmanager.client.SharedSemaphore bounded = CLIENTS.get(0).boundedSemaphore("cluster.bsem", 1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CLIENTS.get(2).boundedSemaphore("cluster.bsem", 1).release());
    assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
    assertTrue(bounded.tryAcquire(1, 5, TimeUnit.SECONDS));
    CLIENTS.get(2).boundedSemaphore("cluster.bsem", 1).release();
    assertEquals(1, bounded.availablePermits());
  }

  @Test
  void aDaemonThatDies_givesBackThePermitsItsClientsHeld() throws Exception {
    ManagerServer fourth = cluster.startAnother();
    try {
      Manager client = Manager.builder().address(fourth.address()).authkey(KEY).connect();
      client.semaphore("cluster.sem.lost", 3).acquire(2);
      io.jmanager.client.SharedSemaphore other = CLIENTS.get(0).semaphore("cluster.sem.lost", 3);
      assertEquals(1, other.availablePermits());
      fourth.clusterNode().terminate(); // as a crash: no session of it closes through the cluster
      client.close();
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> other.availablePermits() == 3);
      assertTrue(other.tryAcquire(3));
      other.release(3);
    } finally {
      fourth.close();
    }
  }

  @Test
  void aCache_expiresAfterWrite_countsHitsAndMissesOnEveryDaemon() {
    io.jmanager.client.SharedCache<String, String> a = CLIENTS.get(0).cache("cluster.cache", "expireAfterWrite=2s,recordStats");
    io.jmanager.client.SharedCache<String, String> b = CLIENTS.get(1).cache("cluster.cache", "expireAfterWrite=2s,recordStats");
    long written = System.nanoTime();
    a.put("k", "v");
    assertEquals("v", b.getIfPresent("k"));
    assertNull(b.getIfPresent("absent"));
    assertEquals("v", a.putIfAbsent("k", "w"));
    assertEquals(java.util.Map.of("k", "v"), b.getAllPresent(List.of("k", "absent")));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> a.asMap().isEmpty()); // asMap counts no hit
    assertTrue(System.nanoTime() - written >= TimeUnit.SECONDS.toNanos(2), "expired after its 2 s, not before");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
      io.jmanager.client.SharedCache.Stats stats = CLIENTS.get(2).<String, String>cache("cluster.cache",
          "expireAfterWrite=2s,recordStats").stats();
      assertEquals(2, stats.hitCount(), stats.toString());
      assertEquals(2, stats.missCount(), stats.toString());
      assertEquals(1, stats.evictionCount(), "the expiry: " + stats);
    });
  }

  @Test
  void aCache_expiresAfterAccess_whileReadsKeepItAlive() throws Exception {
    io.jmanager.client.SharedCache<String, Integer> a = CLIENTS.get(0).cache("cluster.idle", "expireAfterAccess=3s");
    io.jmanager.client.SharedCache<String, Integer> c = CLIENTS.get(2).cache("cluster.idle", "expireAfterAccess=3s");
    a.put("k", 1);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    while (System.nanoTime() < until) {
      assertEquals(1, c.getIfPresent("k"), "read within its idle time: still there");
      Thread.sleep(500); // the reads' pace is what this test is about
    }
    // each read would keep it alive: look less often than its idle time (3 s, and up to a second more)
    Awaitility.await().pollDelay(5, TimeUnit.SECONDS).pollInterval(5, TimeUnit.SECONDS).atMost(30, TimeUnit.SECONDS)
        .until(() -> a.getIfPresent("k") == null);
  }

  @Test
  void aCache_isBoundedPerPartition_andEvictionsAreCounted() {
    String spec = "maximumSize=271,recordStats";
    io.jmanager.client.SharedCache<Integer, Integer> a = CLIENTS.get(0).cache("cluster.bounded.cache", spec);
    java.util.Map<Integer, Integer> batch = new java.util.HashMap<>();
    for (int i = 0; i < 3000; i++) {
      batch.put(i, i);
      if (batch.size() == 500) {
        a.putAll(batch);
        batch.clear();
      }
    }
    long size = CLIENTS.get(1).<Integer, Integer>cache("cluster.bounded.cache", spec).estimatedSize();
    assertTrue(size > 0 && size <= 271, "bounded by one entry per partition: " + size);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> a.stats().evictionCount() >= 3000 - 271);
  }

  @Test
  void aCacheSpecTheClusterCannotKeep_isRefused_andLeavesNoObject() {
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> CLIENTS.get(0).cache("cluster.refused", "maximumSize=100"));
    assertTrue(small.getMessage().contains("partitions") && small.getMessage().contains("maximumSize >= 271"),
        small.getMessage());
    IllegalArgumentException soft = assertThrows(IllegalArgumentException.class,
        () -> CLIENTS.get(1).cache("cluster.refused", "maximumSize=1000,softValues"));
    assertTrue(soft.getMessage().contains("softValues is not available in cluster mode"), soft.getMessage());
    assertFalse(CLIENTS.get(2).names().contains("cluster.refused"));
    CLIENTS.get(2).<String, String>cache("cluster.refused", "maximumSize=1000").put("k", "v");
    assertEquals("v", CLIENTS.get(0).<String, String>cache("cluster.refused", "maximumSize=1000").getIfPresent("k"));

    CLIENTS.get(1).delete("cluster.refused");
    IllegalStateException reborn = assertThrows(IllegalStateException.class,
        () -> CLIENTS.get(2).cache("cluster.refused", "maximumSize=2000"));
    assertTrue(reborn.getMessage().contains("before with another maximumSize"), reborn.getMessage());
    assertNull(CLIENTS.get(2).<String, String>cache("cluster.refused", "maximumSize=1000").getIfPresent("k"), "a new cache");
  }

  @Test
  void itemsATakerNeverConfirmed_goBackToTheClustersQueue() throws Exception {
    String name = "cluster.unconfirmed";
    SharedQueue<String> q = CLIENTS.get(0).queue(name);
    List.of("a", "b", "c", "d").forEach(q::add);
    try (RawClient raw = new RawClient(DAEMONS.get(1).address())) {
      raw.authenticate(KEY);
      raw.send(new io.jmanager.wire.Message.Bind(1, "queue", name, new Object[0],
          io.jmanager.wire.MethodTable.of(SharedQueue.class).hash()));
      int id = ((io.jmanager.wire.Message.Bound) raw.receive()).objectId();
      int drain = io.jmanager.wire.MethodTable.of(SharedQueue.class).idOf(SharedQueue.class.getMethod("drain", int.class));
      raw.send(new io.jmanager.wire.Message.Call(2, id, drain, new Object[] {2}, 1));
      // receive() skips the Ping that follows: it goes unanswered, so the two items are never confirmed
      assertEquals(List.of("a", "b"), ((io.jmanager.wire.Message.Reply) raw.receive()).value());
    }
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> q.size() == 4);
    assertEquals(List.of("c", "d", "a", "b"), q.copy(), "back at the tail: an IQueue has no head to add at");
  }
}
