package io.jmanager.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Decoding costs what the frame carries: a value announcing more elements or characters than its
 * frame holds fails its call before anything is allocated for them (a 2<sup>30</sup>-element
 * claim in a 20-byte frame would otherwise cost gigabytes), values nested deeper than the codec's
 * bound fail their call, and legitimate values of every container type still round-trip.
 */
class DecodeLimitsTest {
  private static final int HUGE = 1 << 30;
  private final Kryo writer = WireKryo.create(ClassAllowlist.any(), List.of(), WireKryo.RefResolver.IDENTITY);
  private final WireCodec reader =
      WireCodec.open(() -> WireKryo.create(ClassAllowlist.any(), List.of(), WireKryo.RefResolver.IDENTITY), 1 << 20);

  /** A Call frame body whose one argument is written by {@code arg}, by hand. */
  private byte[] callWith(BiConsumer<Kryo, Output> arg) {
    Output o = new Output(64, -1);
    writer.writeClass(o, Message.Call.class);
    o.writeVarLong(7, true); // call id
    o.writeVarInt(1, true); // object
    o.writeVarInt(2, true); // method
    o.writeVarLong(1, true); // thread
    o.writeVarInt(2, true); // one argument
    arg.accept(writer, o);
    return o.toBytes();
  }

  private Message decode(byte[] body) {
    return reader.decode(body, 0, body.length);
  }

  private void assertRefused(byte[] body) {
    Message m = decode(body);
    Message.Unreadable u = assertInstanceOf(Message.Unreadable.class, m);
    assertEquals(7, u.callId());
    assertInstanceOf(IllegalArgumentException.class, u.cause(), String.valueOf(u.cause()));
    assertTrue(u.cause().getMessage().contains("announced"), u.cause().getMessage());
  }

  @ParameterizedTest
  @ValueSource(classes = {ArrayList.class, LinkedList.class, HashSet.class, TreeSet.class, ArrayDeque.class,
      PriorityQueue.class})
  void aCollectionAnnouncingMoreElementsThanItsFrameHolds_isRefusedBeforeAllocating(Class<?> type) {
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, type);
      o.writeVarIntFlag(false, HUGE + 1, true); // not all of one type; 2^30 elements
      if (type == TreeSet.class || type == PriorityQueue.class) {
        k.writeClassAndObject(o, null); // no comparator (read after the count)
      }
    }));
  }

  @Test
  void aCollectionOfNullsAnnouncedBeyondTheFreeAllowance_isRefused() {
    // "all elements of one type: null" costs no byte per element, so only the free allowance holds
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, ArrayList.class);
      o.writeVarIntFlag(true, HUGE + 1, true);
      k.writeClass(o, null);
    }));
  }

  @Test
  void immutableListsSetsAndMaps_areBoundedToo() {
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, List.of(1, 2, 3).getClass());
      o.writeVarIntFlag(false, HUGE + 1, true);
    }));
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, Set.of(1, 2, 3).getClass());
      o.writeVarIntFlag(false, HUGE + 1, true);
    }));
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, Map.of(1, 2, 3, 4).getClass());
      o.writeVarInt(HUGE + 1, true);
    }));
  }

  @ParameterizedTest
  @ValueSource(classes = {HashMap.class, TreeMap.class, ConcurrentHashMap.class})
  void aMapAnnouncingMoreEntriesThanItsFrameHolds_isRefused(Class<?> type) {
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, type);
      o.writeVarInt(HUGE + 1, true);
      if (type == TreeMap.class) {
        k.writeClassAndObject(o, null); // no comparator (read after the count)
      }
    }));
  }

  @ParameterizedTest
  @ValueSource(classes = {Object[].class, String[].class, boolean[].class, byte[].class, int[].class, long[].class,
      double[].class, float[].class, short[].class, char[].class})
  void anArrayAnnouncingMoreElementsThanItsFrameHolds_isRefused(Class<?> type) {
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, type);
      o.writeVarInt(HUGE + 1, true);
    }));
  }

  @Test
  void aStringAnnouncingMoreCharsThanItsFrameHolds_isRefused() {
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, String.class);
      o.writeVarIntFlag(true, HUGE + 1, true); // UTF-8, 2^30 chars
    }));
  }

  @Test
  void theArgumentArrayItself_isBounded() {
    Output o = new Output(64, -1);
    writer.writeClass(o, Message.Call.class);
    o.writeVarLong(7, true);
    o.writeVarInt(1, true);
    o.writeVarInt(2, true);
    o.writeVarLong(1, true);
    o.writeVarInt(HUGE + 1, true);
    assertRefused(o.toBytes());
  }

  @Test
  void afterARefusal_theCodecReadsTheNextFrame() {
    assertRefused(callWith((k, o) -> {
      k.writeClass(o, ArrayList.class);
      o.writeVarIntFlag(false, HUGE + 1, true);
    }));
    Message.Call c = assertInstanceOf(Message.Call.class, decode(callWith((k, o) -> k.writeClassAndObject(o, "fine"))));
    assertEquals(List.of("fine"), Arrays.asList(c.args()));
  }

  @Test
  void legitimateValuesOfEveryContainer_roundTrip() {
    List<Object> values = List.of(
        new ArrayList<>(List.of(1, "two", 3L)), new LinkedList<>(List.of(1, 2)), new HashSet<>(Set.of("a", "b")),
        new TreeSet<>(Set.of(3, 1, 2)), new ArrayDeque<>(List.of(1, 2)), new HashMap<>(Map.of("k", List.of(1))),
        new TreeMap<>(Map.of(2, "b", 1, "a")), new ConcurrentHashMap<>(Map.of(1, 1)), List.of(1, 2, 3), List.of(),
        Set.of("x"), Map.of("a", 1, "b", 2), Arrays.asList(1, null, 3), Collections.nCopies(3, "n").stream().toList(),
        new long[] {1, -2, Long.MAX_VALUE}, new int[] {1, 2}, new double[] {0.5}, new boolean[] {true, false},
        new String[] {"a", null, "ü"}, new Object[] {1, "x", null}, new byte[100_000], "ü".repeat(100_000),
        new ArrayList<>(Collections.nCopies(50_000, null)));
    for (Object v : values) {
      Output o = new Output(64, -1);
      writer.writeClassAndObject(o, new Message.Call(7, 1, 2, new Object[] {v}, 1));
      Message.Call c = assertInstanceOf(Message.Call.class, decode(o.toBytes()), String.valueOf(v));
      Object back = c.args()[0];
      if (v.getClass().isArray()) {
        assertTrue(java.util.Objects.deepEquals(v, back), v.getClass().getName());
      } else if (v instanceof ArrayDeque<?> q) {
        assertEquals(List.copyOf(q), List.copyOf((ArrayDeque<?>) back));
      } else {
        assertEquals(v, back);
        assertEquals(v.getClass(), back.getClass());
      }
    }
  }

  @Test
  void valuesNestedDeeperThanTheBound_failTheirCall_andTheBoundItselfPasses() {
    reader.maxReadDepth(10);
    Output ok = new Output(64, -1);
    writer.writeClassAndObject(ok, new Message.Call(7, 1, 2, new Object[] {nested(9)}, 1)); // 9 lists + the Integer
    assertInstanceOf(Message.Call.class, decode(ok.toBytes()));
    Output deep = new Output(64, -1);
    writer.writeClassAndObject(deep, new Message.Call(7, 1, 2, new Object[] {nested(10)}, 1));
    Message.Unreadable u = assertInstanceOf(Message.Unreadable.class, decode(deep.toBytes()));
    assertInstanceOf(IllegalArgumentException.class, u.cause());
    assertTrue(u.cause().getMessage().contains("max.depth"), u.cause().getMessage());

    // the same codec still writes deeper values: a reply may nest stored values in a container
    int n = reader.encode(new Message.Reply(7, nested(50)));
    WireCodec client = WireCodec.open(() -> WireKryo.create(ClassAllowlist.any(), List.of(), WireKryo.RefResolver.IDENTITY), 1 << 20);
    Message.Reply r = assertInstanceOf(Message.Reply.class,
        client.decode(reader.frameBytes(), Frames.LENGTH_BYTES, n - Frames.LENGTH_BYTES));
    assertEquals(nested(50), r.value());
  }

  /** Two-element lists whose hash codes are all equal: 31 * (31 + i) + (-31 * i). */
  private static List<Integer> colliding(int i) {
    return List.of(i, -31 * i);
  }

  private Message roundTrip(Object value) {
    Output o = new Output(64, -1);
    writer.writeClassAndObject(o, new Message.Call(7, 1, 2, new Object[] {value}, 1));
    return decode(o.toBytes());
  }

  @Test
  void largeHashMapsAndSetsOfCollidingUnorderableKeys_areRefused_othersPass() {
    Map<Object, Integer> map = new HashMap<>();
    Set<Object> set = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      map.put(colliding(i), i);
      set.add(colliding(i));
    }
    for (Object v : List.of(map, new java.util.LinkedHashMap<>(map), new ConcurrentHashMap<>(map), set,
        new java.util.LinkedHashSet<>(set), Map.copyOf(map), Set.copyOf(set))) {
      Message.Unreadable u = assertInstanceOf(Message.Unreadable.class, roundTrip(v), v.getClass().getName());
      assertTrue(u.cause().getMessage().contains("share the hash code"), u.cause().getMessage());
    }
    // as a list they are fine: nothing hashes them
    assertInstanceOf(Message.Call.class, roundTrip(new ArrayList<>(set)));

    // colliding Strings are Comparable: a HashMap orders them in a tree, so they pass
    Map<String, Integer> strings = new HashMap<>();
    for (int i = 0; i < 1_024; i++) {
      StringBuilder sb = new StringBuilder();
      for (int bit = 0; bit < 10; bit++) {
        sb.append((i >> bit & 1) == 0 ? "Aa" : "BB"); // "Aa".hashCode() == "BB".hashCode()
      }
      strings.put(sb.toString(), i);
    }
    assertEquals(1, strings.keySet().stream().map(String::hashCode).distinct().count());
    Message.Call c = assertInstanceOf(Message.Call.class, roundTrip(strings));
    assertEquals(strings, c.args()[0]);

    Map<List<Integer>, Integer> spread = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      spread.put(List.of(i, i), i);
    }
    assertEquals(spread, ((Message.Call) roundTrip(spread)).args()[0]);
    assertEquals(HashMap.class, ((Message.Call) roundTrip(spread)).args()[0].getClass());
  }

  private static Object nested(int lists) {
    Object v = 1;
    for (int i = 0; i < lists; i++) {
      v = new ArrayList<>(List.of(v));
    }
    return v;
  }
}
