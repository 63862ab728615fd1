package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The codec without Python: round trips through its own writer and reader, and pickles that
 * CPython wrote (their hex taken from {@code pickle.dumps}).
 */
class PythonPickleTest {
  private static final HexFormat HEX = HexFormat.of();
  private final PythonPickle pickle = new PythonPickle();

  @Test
  void scalars_roundTrip() {
    for (Object v : new Object[] {"", "héllo ☃ 𝄞", "x".repeat(300), 0, 1, 255, 256, 65535,
        65536, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
        BigInteger.TWO.pow(64), BigInteger.TWO.pow(2000).negate(), 1.5, -0.0, Double.NaN,
        Double.NEGATIVE_INFINITY, true, false, null}) {
      assertEquals(v, roundTrip(v), "for " + v);
    }
  }

  @Test
  void ints_decodeToTheSmallestJavaType() {
    assertEquals(7, roundTrip(7L));
    assertEquals(7, roundTrip(BigInteger.valueOf(7)));
    assertEquals(7, roundTrip((short) 7));
    assertEquals(1L << 40, roundTrip(BigInteger.ONE.shiftLeft(40)));
    assertInstanceOf(BigInteger.class, roundTrip(BigInteger.ONE.shiftLeft(63)));
    assertInstanceOf(Long.class, roundTrip(BigInteger.ONE.shiftLeft(63).negate()));
    assertEquals(1.5, roundTrip(1.5f));
  }

  @Test
  void pythonInt_normalizes() {
    assertEquals(Integer.valueOf(5), PythonPickle.pythonInt(5L));
    assertEquals(Long.valueOf(1L << 33), PythonPickle.pythonInt(BigInteger.ONE.shiftLeft(33)));
    assertThrows(IllegalArgumentException.class, () -> PythonPickle.pythonInt(1.0));
  }

  @Test
  void bytes_roundTrip() {
    for (byte[] b : new byte[][] {new byte[0], {0, -1, 7}, new byte[300]}) {
      assertArrayEquals(b, (byte[]) roundTrip(b));
    }
  }

  @Test
  void loneSurrogates_roundTrip() {
    String s = "a\ud800b\udfff" + "😀";
    assertEquals(s, roundTrip(s));
    assertArrayEquals(HEX.parseHex("61eda080"), Utf8.encode("a\ud800"));
    assertEquals("a\ud800", Utf8.decode(HEX.parseHex("61eda080")));
  }

  @Test
  void invalidUtf8_isRefused() {
    // SHORT_BINUNICODE of the bytes c3 28 (a lead byte without its continuation)
    UnpicklingException e = assertThrows(UnpicklingException.class,
        () -> pickle.decode(HEX.parseHex("80048c02c3282e")));
    assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
  }

  @Test
  void containers_keepTheirPythonTypes() {
    Map<Object, Object> dict = new LinkedHashMap<>();
    dict.put("z", 1);
    dict.put("a", List.of(1, 2));
    dict.put(PythonTuple.of(1, null), "tuple key");
    dict.put(PythonFrozenSet.of(3), "frozenset key");
    dict.put(null, "None key");
    List<Object> value = List.of(dict, PythonTuple.of(), PythonTuple.of((Object) null),
        PythonTuple.of(1, 2, 3, 4, 5), new LinkedHashSet<>(List.of(1, "x")), PythonFrozenSet.of());

    List<?> back = (List<?>) roundTrip(value);
    assertEquals(value, back);
    assertInstanceOf(ArrayList.class, back);
    assertInstanceOf(LinkedHashMap.class, back.get(0));
    assertEquals(List.of("z", "a", PythonTuple.of(1, null), PythonFrozenSet.of(3), "nothing"),
        keysOf(back.get(0)));
    assertInstanceOf(ArrayList.class, ((Map<?, ?>) back.get(0)).get("a"));
    assertInstanceOf(PythonTuple.class, back.get(1));
    assertInstanceOf(PythonTuple.class, back.get(3));
    assertInstanceOf(LinkedHashSet.class, back.get(4));
    assertInstanceOf(PythonFrozenSet.class, back.get(5));
  }

  @Test
  void tuple_isAnImmutableListThatHoldsNull() {
    PythonTuple t = PythonTuple.of(1, null);
    assertEquals(Arrays.asList(1, null), t);
    assertEquals(Arrays.asList(1, null).hashCode(), t.hashCode());
    assertThrows(UnsupportedOperationException.class, () -> t.add(3));
    assertEquals("(1, null)", t.toString());
    assertEquals("(1,)", PythonTuple.of(1).toString());
  }

  @Test
  void decode_readsProtocolZeroAndOne() {
    byte[] p0 = ("(lp0\nI1\naVa\np1\na(F1.5\nNtp2\na(dp3\nVk\np4\nI01\nsac_codecs\nencode\np5\n"
        + "(V\\u0000\u00ff\np6\nVlatin1\np7\ntp8\nRp9\nac__builtin__\nset\np10\n((lp11\nI3\natp12\n"
        + "Rp13\nac__builtin__\nfrozenset\np14\n((lp15\nI4\natp16\nRp17\naL1180591620717411303424L"
        + "\naFinf\na.").getBytes(StandardCharsets.ISO_8859_1);
    byte[] p1 = HEX.parseHex("5d7100284b01580100000061710128473ff80000000000004e7471027d7103580100"
        + "00006b71044930310a73635f636f646563730a656e636f64650a710528580300000000c3bf71065806000000"
        + "6c6174696e317107747108527109635f5f6275696c74696e5f5f0a7365740a710a285d710b4b036174710c52"
        + "710d635f5f6275696c74696e5f5f0a66726f7a656e7365740a710e285d710f4b04617471105271114c313138"
        + "303539313632303731373431313330333432344c0a477ff0000000000000652e");
    for (byte[] p : List.of(p0, p1)) {
      List<?> v = (List<?>) pickle.decode(p);
      assertEquals(List.of(1, "a", PythonTuple.of(1.5, null), Map.of("k", true)), v.subList(0, 4));
      assertArrayEquals(new byte[] {0, -1}, (byte[]) v.get(4));
      assertEquals(Set.of(3), v.get(5));
      assertEquals(PythonFrozenSet.of(4), v.get(6));
      assertEquals(BigInteger.TWO.pow(70), v.get(7));
      assertEquals(Double.POSITIVE_INFINITY, v.get(8));
    }
  }

  @Test
  void decodeRequest_readsTheFourTuple() {
    // pickle.dumps(('abc', 'get', ('k', None), {'x': 1}), 4)
    PythonRequest r = pickle.decodeRequest(HEX.parseHex("8004952000000000000000288c0361626394"
        + "8c03676574948c016b944e86947d948c0178944b017374942e"));
    assertEquals("abc", r.ident());
    assertEquals("get", r.methodName());
    assertEquals(PythonTuple.of("k", null), r.args());
    assertEquals(Map.of("x", 1), r.kwds());
    // pickle.dumps((None, 'create', ('dict',), {}), 4)
    PythonRequest create = pickle.decodeRequest(HEX.parseHex("8004951900000000000000284e8c0663"
        + "7265617465948c04646963749485947d9474942e"));
    assertNull(create.ident());
    assertEquals("create", create.methodName());
  }

  @Test
  void decodeRequest_refusesOtherShapes() {
    for (Object notARequest : List.of(PythonTuple.of("a", "b", PythonTuple.of()),
        PythonTuple.of(1, "m", PythonTuple.of(), Map.of()),
        PythonTuple.of("i", 2, PythonTuple.of(), Map.of()),
        PythonTuple.of("i", "m", "args", Map.of()),
        PythonTuple.of("i", "m", PythonTuple.of(), Map.of(1, 2)), "str")) {
      assertThrows(UnpicklingException.class,
          () -> pickle.decodeRequest(pickle.encode(notARequest)), "for " + notARequest);
    }
  }

  @Test
  void osSystem_isRefused_namingIt() {
    // cos\nsystem\n(S"echo hi"\ntR. : os.system('echo hi') at protocol 0
    byte[] p = "cos\nsystem\n(S\"echo hi\"\ntR.".getBytes(StandardCharsets.US_ASCII);
    assertRefused("os.system", p);
  }

  @Test
  void builtinsEval_byStackGlobal_isRefused_namingIt() {
    byte[] p = concat(HEX.parseHex("80048c086275696c74696e738c046576616c93"),
        "(\u008c\u00031+1tR.".getBytes(StandardCharsets.ISO_8859_1));
    assertRefused("builtins.eval", p);
  }

  @Test
  void classInstance_isRefused_namingItsClass() {
    // class C: pass; c = C(); c.x = 1; pickle.dumps(c, 2) and pickle.dumps(c, 4)
    assertRefused("__main__.C", HEX.parseHex("8002635f5f6d61696e5f5f0a430a7100298171017d710258"
        + "010000007871034b0173622e"));
    assertRefused("__main__.C", HEX.parseHex("8004951f000000000000008c085f5f6d61696e5f5f948c0143"
        + "9493942981947d948c0178944b0173622e"));
  }

  @Test
  void otherTypes_areRefused_namingThem() {
    assertRefused("collections.OrderedDict", HEX.parseHex("800263636f6c6c656374696f6e730a4f72"
        + "6465726564446963740a71002952710158010000006171024b01732e"));
    assertRefused("builtins.complex", HEX.parseHex("8004952e000000000000008c086275696c74696e73948c"
        + "07636f6d706c6578949394473ff0000000000000474000000000000000869452942e"));
    assertRefused("__builtin__.bytearray", HEX.parseHex("8002635f5f6275696c74696e5f5f0a6279746561"
        + "727261790a7100635f636f646563730a656e636f64650a710158020000006162710258060000006c6174696e"
        + "3171038671045271058571065271072e"));
    assertRefused("builtins.bytearray", HEX.parseHex("8005950d0000000000000096020000000000000061629"
        + "42e"));
  }

  @Test
  void proxies_areRefused_withAMessageSayingSo() {
    UnpicklingException e = assertRefused("multiprocessing.managers.RebuildProxy",
        concat(HEX.parseHex("80048c186d756c746970726f63657373696e672e6d616e6167657273"),
            HEX.parseHex("8c0c52656275696c6450726f787993292e")));
    assertTrue(e.getMessage().contains("proxies and tokens cannot be sent"), e.getMessage());
  }

  @Test
  void aGlobalAsAValue_isRefused() {
    // c__builtin__\nset\n. : the class set itself, not a set
    UnpicklingException e = assertThrows(UnpicklingException.class,
        () -> pickle.decode("c__builtin__\nset\n.".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(e.getMessage().contains("builtins.set"), e.getMessage());
  }

  @Test
  void objectOpcodes_areRefused() {
    // NEWOBJ on set; BUILD on a list; a persistent id; an extension code
    for (String hex : List.of("80048c086275696c74696e738c0373657493298152", "80025d4e622e",
        "80024e512e", "8002820100")) {
      assertThrows(UnpicklingException.class, () -> pickle.decode(HEX.parseHex(hex)), hex);
    }
  }

  @Test
  void recursiveStructures_areRefused() {
    // l = []; l.append(l); and t = ([],); t[0].append(t)
    for (String hex : List.of("80025d71006800612e",
        "8004950b000000000000005d9468008594613068012e")) {
      UnpicklingException e = assertThrows(UnpicklingException.class,
          () -> pickle.decode(HEX.parseHex(hex)));
      assertTrue(e.getMessage().contains("recursive"), e.getMessage());
    }
  }

  @Test
  void nesting_isLimited_bothWays() {
    PythonPickle shallow = new PythonPickle(3);
    List<Object> three = List.of(List.of(List.of(1)));
    assertEquals(three, shallow.decode(shallow.encode(three)));
    List<Object> four = List.of(three);
    assertThrows(PicklingException.class, () -> shallow.encode(four));
    UnpicklingException e = assertThrows(UnpicklingException.class,
        () -> shallow.decode(pickle.encode(four)));
    assertTrue(e.getMessage().contains("deeper than 3"), e.getMessage());
  }

  @Test
  void sharingThatUnfoldsPastTheBudget_isRefused_quickly() {
    // t0 = (); t(i+1) = (ti, ti) by memo references: 2^40 leaves when unfolded, from 200 bytes
    StringBuilder hex = new StringBuilder("8004" + "2994"); // EMPTY_TUPLE, MEMOIZE
    for (int i = 0; i < 40; i++) {
      String get = "68" + String.format("%02x", i); // BINGET i
      hex.append(get).append(get).append("8694"); // TUPLE2, MEMOIZE
    }
    hex.append("2e");
    UnpicklingException e = assertThrows(UnpicklingException.class,
        () -> new PythonPickle(100).decode(HEX.parseHex(hex.toString())));
    assertTrue(e.getMessage().contains("counting shared parts"), e.getMessage());
  }

  @Test
  void modestSharing_isKept() {
    // g = [[0] * 3] * 3; pickle.dumps(g, 4): one row, three references to it
    List<?> g = (List<?>) pickle.decode(HEX.parseHex(
        "80049513000000000000005d94285d94284b004b004b006568016801652e"));
    assertEquals(List.of(List.of(0, 0, 0), List.of(0, 0, 0), List.of(0, 0, 0)), g);
    assertTrue(g.get(0) == g.get(2), "Python's aliasing is kept");
  }

  @Test
  void tupleKeysNestedTooDeep_areRefusedBeforeTheyAreCompared() {
    // {t: None, u: None} where t and u are equal, separately built 200000-deep 1-tuples: comparing
    // them would recurse 200000 deep, past any thread stack
    String deep = "29" + "85".repeat(200_000);
    byte[] p = HEX.parseHex("8004" + "7d" + deep + "4e73" + deep + "4e73" + "2e");
    UnpicklingException e = assertThrows(UnpicklingException.class, () -> pickle.decode(p));
    assertTrue(e.getMessage().contains("deeper than 256"), e.getMessage());
  }

  @Test
  void countedOpcodes_longerThanThePickle_areRefusedBeforeAllocating() {
    // BINUNICODE announcing 2^31-1 bytes, BINBYTES8 announcing 2^62
    for (String hex : List.of("800458ffffff7f61", "80048e000000000000004061")) {
      UnpicklingException e = assertThrows(UnpicklingException.class,
          () -> pickle.decode(HEX.parseHex(hex)));
      assertTrue(e.getMessage().contains("remain"), e.getMessage());
    }
  }

  @Test
  void malformedPickles_areUnpicklingExceptions() {
    for (String hex : List.of("", "8004", "80044b", "800468052e", "80044e4e522e", "800481",
        "8004287d732e", "8004ff")) {
      assertThrows(UnpicklingException.class, () -> pickle.decode(HEX.parseHex(hex)), hex);
    }
  }

  @Test
  void unhashableKeys_areRefusedBothWays() {
    Map<Object, Object> listKey = new LinkedHashMap<>();
    listKey.put(new ArrayList<>(List.of(1)), "v");
    PicklingException e = assertThrows(PicklingException.class, () -> pickle.encode(listKey));
    assertTrue(e.getMessage().contains("java.util.ArrayList"), e.getMessage());
    assertThrows(PicklingException.class,
        () -> pickle.encode(Set.of(PythonTuple.of(new ArrayList<>()))));
    // {[]: 1} as a pickle: EMPTY_DICT, EMPTY_LIST, 1, SETITEM
    assertThrows(UnpicklingException.class, () -> pickle.decode(HEX.parseHex("80047d5d4b01732e")));
  }

  @Test
  void typesOutsideTheTable_areRefusedOnTheWayOut_namingTheirClass() {
    for (Object v : List.of(new Object[] {1}, 'c', new StringBuilder("x"),
        java.time.Instant.EPOCH, List.of(new int[] {1}))) {
      PicklingException e = assertThrows(PicklingException.class, () -> pickle.encode(v));
      assertTrue(e.getMessage().contains("cannot be sent to Python"), e.getMessage());
    }
  }

  @Test
  void aListThatContainsItself_isRefusedOnTheWayOut() {
    List<Object> self = new ArrayList<>();
    self.add(self);
    assertThrows(PicklingException.class, () -> pickle.encode(self));
  }

  @Test
  void replies_carryTheirTag() {
    List<?> r = (List<?>) pickle.decode(pickle.encodeReply(new PythonReply.Return(List.of(1))));
    assertEquals(List.of("#RETURN", List.of(1)), r);
    List<?> t = (List<?>) pickle.decode(pickle.encodeReply(new PythonReply.Traceback("tb")));
    assertEquals(PythonTuple.of("#TRACEBACK", "tb"), t);
    List<?> u = (List<?>) pickle.decode(pickle.encodeReply(new PythonReply.Unserializable("x")));
    assertEquals(PythonTuple.of("#UNSERIALIZABLE", "x"), u);
  }

  @Test
  void errorAndProxyReplies_writeOnlyTheirOwnGlobals() {
    // our reader resolves neither, which is the point: it names the global each one wrote
    assertRefused("builtins.KeyError",
        pickle.encodeReply(new PythonReply.Error(PythonError.keyError("k"))));
    assertRefused("queue.Empty",
        pickle.encodeReply(new PythonReply.Error(PythonError.of(PythonError.Kind.QUEUE_EMPTY))));
    assertRefused("multiprocessing.managers.Token", pickle.encodeReply(new PythonReply.Proxy(
        List.of("get"), PythonToken.tcp("dict", "127.0.0.1", 5000, "abc"))));
  }

  private Object roundTrip(Object v) {
    return pickle.decode(pickle.encode(v));
  }

  private UnpicklingException assertRefused(String global, byte[] p) {
    UnpicklingException e = assertThrows(UnpicklingException.class, () -> pickle.decode(p));
    assertEquals(global, e.refusedGlobal(), e.getMessage());
    assertTrue(e.getMessage().contains(global), e.getMessage());
    return e;
  }

  private static List<Object> keysOf(Object map) {
    List<Object> keys = new ArrayList<>(((Map<?, ?>) map).keySet());
    keys.replaceAll(k -> k == null ? "nothing" : k);
    return keys;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return PythonHandshake.concat(a, b);
  }
}
