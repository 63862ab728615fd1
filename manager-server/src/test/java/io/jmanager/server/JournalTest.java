package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.JoinableQueue;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.server.journal.DurableState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The durability journal with in-process daemons: what survives a restart, and in which order. */
@Timeout(60)
class JournalTest {
  @TempDir Path dir;

  private TestDaemon daemon(String fsync) {
    return new TestDaemon(b -> b.journal(dir, fsync).register("registry", Registry.class, RegistryImpl::new));
  }

  @Test
  void everyDurableType_survivesARestart_andLocksComeBackFree() throws Exception {
    try (TestDaemon d = daemon("always")) {
      Manager m = d.connect();
      SharedDict<String, Object> dict = m.dict("d");
      dict.put("a", 1);
      dict.put("b", "two");
      dict.increment("n", 5);
      dict.increment("n", 2);
      dict.remove("b");
      SharedList<String> list = m.list("l");
      list.addAll(List.of("x", "y", "z"));
      list.add(1, "inserted");
      list.remove("z");
      list.set(0, "first");
      SharedQueue<String> q = m.queue("q");
      q.add("1");
      q.add("2");
      q.add("3");
      assertEquals("1", q.poll());
      JoinableQueue<String> jq = m.joinableQueue("jq");
      jq.add("task1");
      jq.add("task2");
      jq.poll();
      jq.taskDone();
      m.value("v", "initial").set("changed");
      m.counter("c").addAndGet(41);
      m.counter("c").incrementAndGet();
      m.longArray("la", 4).set(2, 7L);
      m.longArray("la", 4).addAndGet(3, 9L);
      m.doubleArray("da", 2).set(1, 2.5);
      m.namespace("ns").set("attr", "value");
      m.namespace("ns").set("gone", 1);
      m.namespace("ns").delete("gone");
      m.cache("cache", "maximumSize=100,expireAfterWrite=1h").put("k", "cached");
      m.proxy("registry", "reg", Registry.class).register("alice", "1");
      SharedLock lock = m.lock("lk");
      lock.lock(); // held when the daemon stops
      m.semaphore("sem", 2).tryAcquire();
      m.event("ev").set();
      m.dict("deleted").put("x", 1);
      m.delete("deleted");
    }
    try (TestDaemon d = daemon("always")) {
      Manager m = d.connect();
      assertEquals(Map.of("a", 1, "n", 7L), m.dict("d").copy());
      assertEquals(List.of("first", "inserted", "y"), m.list("l").copy());
      SharedQueue<String> q = m.queue("q");
      assertEquals("2", q.poll());
      assertEquals("3", q.poll());
      assertNull(q.poll());
      JoinableQueue<String> jq = m.joinableQueue("jq");
      assertEquals("task2", jq.poll());
      assertFalse(jq.join(Duration.ofMillis(50)), "one task is unfinished");
      jq.taskDone();
      assertTrue(jq.join(Duration.ofSeconds(5)));
      assertEquals("changed", m.value("v", "other").get());
      assertEquals(42, m.counter("c").get());
      assertEquals(List.of(0L, 0L, 7L, 9L), boxed(m.longArray("la", 4).toArray()));
      assertEquals(2.5, m.doubleArray("da", 2).get(1));
      assertEquals(Map.of("attr", "value"), m.namespace("ns").asMap());
      assertEquals("cached", m.cache("cache", "maximumSize=100,expireAfterWrite=1h").getIfPresent("k"));
      assertEquals("1", m.proxy("registry", "reg", Registry.class).lookup("alice"));
      assertTrue(m.lock("lk").tryLock(), "a restarted daemon has every lock free");
      assertEquals(2, m.semaphore("sem", 2).availablePermits());
      assertFalse(m.event("ev").isSet());
      assertFalse(m.exists("deleted"));
      assertTrue(m.exists("lk"));
      assertTrue(m.info().journal().startsWith("always, " + dir), m.info().journal());
      assertTrue(Main.format(m.info()).contains("journal always, "));
    }
  }

  /**
   * Several connections (so several event loops) and threads mutate the same few keys, list and
   * counter at once, with compactions racing them: the replayed state equals the live one.
   */
  @Test
  void concurrentWritersOnTheSameKeys_replayToTheLiveState() throws Exception {
    Map<String, Object> live;
    List<Object> liveList;
    List<Object> liveQueue;
    try (TestDaemon d = new TestDaemon(b -> b.journal(dir, "everysec").journalCompactBytes(16 * 1024))) {
      List<Manager> managers = List.of(d.connect(), d.connect(), d.connect(), d.connect());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          Manager m = managers.get(t % managers.size());
          int writer = t;
          done.add(pool.submit(() -> {
            SharedDict<String, Object> dict = m.dict("hot");
            SharedList<Object> list = m.list("hotlist");
            SharedQueue<Object> q = m.queue("hotqueue");
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < 1500; i++) {
              String key = "k" + rnd.nextInt(5);
              switch (rnd.nextInt(8)) {
                case 0 -> dict.put(key, writer * 100_000 + i);
                case 6 -> dict.increment(key, 1);
                case 7 -> {
                  try {
                    list.remove(0);
                  } catch (IndexOutOfBoundsException empty) {
                    // another writer took the last one
                  }
                }
                case 1 -> dict.remove(key);
                case 2 -> dict.putIfAbsent(key, -writer);
                case 3 -> list.add(writer + ":" + i);
                case 4 -> q.offer(writer + ":" + i);
                default -> q.poll();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(50, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      Manager m = d.connect();
      m.dict("counts").increment("n", 1);
      SharedDict<String, Object> hot = m.dict("hot");
      live = new HashMap<>(hot.copy());
      liveList = new ArrayList<>(m.list("hotlist").copy());
      liveQueue = new ArrayList<>(m.queue("hotqueue").copy());
      assertTrue(d.server.journal().compactions() > 0, "compactions raced the writers");
    }
    try (TestDaemon d = new TestDaemon(b -> b.journal(dir, "everysec"))) {
      Manager m = d.connect();
      assertEquals(live, m.dict("hot").copy());
      assertEquals(liveList, m.list("hotlist").copy());
      assertEquals(liveQueue, m.queue("hotqueue").copy());
    }
  }

  @Test
  void aClassOffTheAllowlist_stopsTheStart() {
    try (TestDaemon d = new TestDaemon(b -> b.journal(dir, "always").allow(Point.class.getName()))) {
      d.connect().dict("d").put("p", new Point(1, 2));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> daemon("always").close());
    assertTrue(e.getMessage().contains(Point.class.getName()) && e.getMessage().contains("serialization.allow"),
        e.getMessage());
    try (TestDaemon d = new TestDaemon(b -> b.journal(dir, "always").allow(Point.class.getName()))) {
      assertEquals(new Point(1, 2), d.connect().dict("d").get("p"));
    }
  }

  @Test
  void aSecondDaemonOnTheSameJournal_doesNotStart() {
    try (TestDaemon d = daemon("everysec")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> daemon("everysec").close());
      assertTrue(e.getMessage().contains("in use by another daemon"), e.getMessage());
      d.connect().dict("d").put("still", "served");
    }
    try (TestDaemon d = daemon("everysec")) {
      assertEquals("served", d.connect().dict("d").get("still"));
    }
  }

  static List<Long> boxed(long[] a) {
    List<Long> out = new ArrayList<>();
    for (long x : a) {
      out.add(x);
    }
    return out;
  }

  /** A value class that must be allowed. */
  public record Point(int x, int y) {}

  /** A user type's interface. */
  public interface Registry {
    void register(String name, String value);

    String lookup(String name);
  }

  /** A user type that opts in to the journal. */
  public static final class RegistryImpl implements Registry, DurableState {
    private final Map<String, String> entries = new HashMap<>();

    @Override
    public void register(String name, String value) {
      entries.put(name, value);
    }

    @Override
    public String lookup(String name) {
      return entries.get(name);
    }

    @Override
    public Object journalState() {
      return new HashMap<>(entries);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void restoreState(Object state) {
      entries.putAll((Map<String, String>) state);
    }
  }
}
