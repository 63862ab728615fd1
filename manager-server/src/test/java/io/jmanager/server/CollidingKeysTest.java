package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.Pipeline;
import io.jmanager.client.SharedDict;
import io.jmanager.wire.Message;
import io.jmanager.wire.MethodTable;
import java.nio.file.Files;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.IntStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No call can starve an event loop. Keys whose hash codes all collide and that are not {@code
 * Comparable} make a {@code HashMap} linear per operation, so 50,000 of them cost minutes of CPU
 * (quadratic). The daemon runs a bulk call off the event loop, and moves an object whose calls
 * turn slow there too, so another session on the same (only) event loop is still answered
 * promptly, whether the keys come in one {@code putAll} or as thousands of pipelined puts.
 */
class CollidingKeysTest {
  /** Two-element lists whose {@code List.hashCode()} is the same for every i: 31 * (31 + i) + (-31 * i). */
  static List<Integer> colliding(int i) {
    return List.of(i, -31 * i);
  }

  @Test
  void collidingKeys_neverDelayAnotherSession(@TempDir Path dir) throws Exception {
    assertEquals(colliding(1).hashCode(), colliding(40_000).hashCode());
    Path config = dir.resolve("manager.properties");
    // every session on one loop; raw peers that never ping are not timed out while they wait
    Files.writeString(config, "event.loop.threads=1\nunix.path=off\nheartbeat.timeout=60s\n");
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString());
        Manager warming = daemon.connect();
        Manager bystander = daemon.connect()) {
      SharedDict<String, Integer> mine = bystander.dict("mine");
      mine.put("k", 1);
      warmUp(warming, mine); // the figures are about hashing, not a cold JVM compiling its decoder

      try (RawClient bulk = new RawClient(daemon.address()); RawClient single = new RawClient(daemon.address())) {
        // the attacks are encoded first, so what is measured is the daemon, not the attacker's CPU
        // one putAll of 50,000 colliding keys (a HashMap of them would take this JVM minutes to build)
        bulk.authenticate(daemon.authkey());
        int bulkDict = bind(bulk, "bulk");
        byte[] putAll = bulk.callWithMap(2, bulkDict, methodId("putAll", Map.class), collidingMap(50_000), HashMap.class);
        // 30,000 puts of colliding keys, one call each, written at once
        single.authenticate(daemon.authkey());
        int singleDict = bind(single, "single");
        int put = methodId("put", Object.class, Object.class);
        java.io.ByteArrayOutputStream puts = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 30_000; i++) {
          puts.writeBytes(single.frame(new Message.Call(10 + i, singleDict, put, new Object[] {colliding(i), 1}, 1)));
        }

        bulk.writeRaw(putAll);
        long bulkDelay = worstDelayMillis(mine, 2_000);
        Message.Failure refused = (Message.Failure) bulk.receive();
        assertEquals(IllegalArgumentException.class.getName(), refused.type());
        assertTrue(refused.message().contains("share the hash code"), refused.message());

        single.writeRaw(puts.toByteArray());
        long singleDelay = worstDelayMillis(mine, 2_000);
        assertEquals(10, ((Message.Reply) single.receive()).callId(), "the puts were being served");
        System.out.printf("bystander's worst call: %d ms during a putAll of 50,000 colliding keys (refused),"
            + " %d ms during 30,000 pipelined puts of them%n", bulkDelay, singleDelay);
        // the figures above are what to quote; the bound here only tells 'served' from 'starved'
        // (before, the bystander waited the whole putAll: 21 s for 20,000 keys, 139 s for 50,000)
        assertTrue(bulkDelay < 1_000, "bystander delayed " + bulkDelay + " ms by a colliding putAll");
        assertTrue(singleDelay < 1_000, "bystander delayed " + singleDelay + " ms by colliding puts");
        assertEquals(1, mine.get("k"));
      }
    }
  }

  /** The same calls with keys that spread, so the daemon's code is compiled before measuring. */
  private static void warmUp(Manager m, SharedDict<String, Integer> mine) {
    SharedDict<List<Integer>, Integer> warm = m.dict("warm");
    for (int round = 0; round < 3; round++) {
      Map<List<Integer>, Integer> spread = new HashMap<>();
      for (int i = 0; i < 50_000; i++) {
        spread.put(List.of(i, round), i);
      }
      warm.putAll(spread);
      try (Pipeline p = m.pipeline()) {
        for (int i = 0; i < 30_000; i++) {
          List<Integer> k = List.of(round, i);
          p.add(() -> warm.put(k, 1));
        }
      }
      worstDelayMillis(mine, 300);
    }
    m.delete("warm");
  }

  private static int bind(RawClient raw, String name) throws Exception {
    raw.send(new Message.Bind(1, "dict", name, new Object[0], MethodTable.of(SharedDict.class).hash()));
    return ((Message.Bound) raw.receive()).objectId();
  }

  private static int methodId(String name, Class<?>... params) throws NoSuchMethodException {
    return MethodTable.of(SharedDict.class).idOf(SharedDict.class.getMethod(name, params));
  }

  /** A map of {@code n} colliding keys that never hashes them: entries made as they are written. */
  private static Map<Object, Object> collidingMap(int n) {
    return new AbstractMap<>() {
      @Override
      public Set<Entry<Object, Object>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Entry<Object, Object>> iterator() {
            return IntStream.range(0, n).<Entry<Object, Object>>mapToObj(i -> Map.entry(colliding(i), i)).iterator();
          }

          @Override
          public int size() {
            return n;
          }
        };
      }
    };
  }

  /** Calls {@code get} back to back for {@code millis}; the slowest call's time. */
  private static long worstDelayMillis(SharedDict<String, Integer> dict, long millis) {
    long worst = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      assertEquals(1, dict.get("k"));
      worst = Math.max(worst, System.nanoTime() - t0);
    }
    return TimeUnit.NANOSECONDS.toMillis(worst);
  }
}
