package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.Pythons.Interpreter;
import io.jmanager.server.python.Pythons.Result;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec against real CPython, every 3.8+ found ({@link Pythons}): Python pickles each row of
 * the value table at every protocol and the default, and Java decodes it to the row's Java value;
 * Java encodes each row's Java value, and Python loads it, equal and of the same type, with no
 * global in it; Java's replies load in Python as real exceptions and Tokens; and pickles naming
 * {@code os.system}, {@code eval}, {@code subprocess.Popen}, class instances and proxies are
 * refused, naming the global.
 */
class PythonPickleCrossTest {
  private static final HexFormat HEX = HexFormat.of();
  private final PythonPickle pickle = new PythonPickle();

  /** A row: its name, the Python expression of the value, and the same value in Java. */
  private record Row(String name, String python, Object java) {}

  private static final List<Row> ROWS = List.of(
      new Row("str_empty", "''", ""),
      new Row("str_unicode", "'h\\u00e9llo \\u2603 \\U0001d11e'", "héllo ☃ 𝄞"),
      new Row("str_long", "'x' * 300 + '\\\\\\n'", "x".repeat(300) + "\\\n"),
      new Row("str_lone_surrogate", "'a\\ud800b'", "a\ud800b"),
      new Row("int_0", "0", 0),
      new Row("int_255", "255", 255),
      new Row("int_256", "256", 256),
      new Row("int_65535", "65535", 65535),
      new Row("int_65536", "65536", 65536),
      new Row("int_minus_1", "-1", -1),
      new Row("int_max", "2**31 - 1", Integer.MAX_VALUE),
      new Row("int_max_plus_1", "2**31", 1L << 31),
      new Row("int_min", "-2**31", Integer.MIN_VALUE),
      new Row("int_min_minus_1", "-2**31 - 1", -(1L << 31) - 1),
      new Row("long_max", "2**63 - 1", Long.MAX_VALUE),
      new Row("long_max_plus_1", "2**63", BigInteger.TWO.pow(63)),
      new Row("long_min", "-2**63", Long.MIN_VALUE),
      new Row("long_min_minus_1", "-2**63 - 1", BigInteger.TWO.pow(63).negate().subtract(
          BigInteger.ONE)),
      new Row("int_huge", "2**2000", BigInteger.TWO.pow(2000)),
      new Row("int_huge_negative", "-(3**1000)", BigInteger.valueOf(3).pow(1000).negate()),
      new Row("float", "1.5", 1.5),
      new Row("float_negative_zero", "-0.0", -0.0),
      new Row("float_inf", "float('inf')", Double.POSITIVE_INFINITY),
      new Row("float_minus_inf", "float('-inf')", Double.NEGATIVE_INFINITY),
      new Row("float_nan", "float('nan')", Double.NaN),
      new Row("float_big", "1e300", 1e300),
      new Row("float_tiny", "5e-324", 5e-324),
      new Row("bool_true", "True", true),
      new Row("bool_false", "False", false),
      new Row("none", "None", null),
      new Row("bytes_empty", "b''", new byte[0]),
      new Row("bytes", "b'\\x00\\xff\\n\\\\'", new byte[] {0, -1, '\n', '\\'}),
      new Row("bytes_long", "bytes(range(256)) * 2", allBytesTwice()),
      new Row("list_empty", "[]", list()),
      new Row("list", "[1, 'a', None, [2.5]]", list(1, "a", null, list(2.5))),
      new Row("list_long", "list(range(2000))", list(IntStream.range(0, 2000).boxed().toArray())),
      new Row("list_nested", "[[[[[1]]]]]", list(list(list(list(list(1)))))),
      new Row("tuple_empty", "()", PythonTuple.of()),
      new Row("tuple_1", "(1,)", PythonTuple.of(1)),
      new Row("tuple_nones", "(None, None)", PythonTuple.of(null, null)),
      new Row("tuple_5", "(1, 2, 3, 4, 5)", PythonTuple.of(1, 2, 3, 4, 5)),
      new Row("tuple_mixed", "((1, 2), [3])", PythonTuple.of(PythonTuple.of(1, 2), list(3))),
      new Row("dict_empty", "{}", dict()),
      new Row("dict", "{'z': 1, 'a': [1, 2], 'm': {}}", dict("z", 1, "a", list(1, 2), "m", dict())),
      new Row("dict_keys", "{(1, 2): 't', frozenset({3}): 'f', None: 0, 1.5: 'x', 7: 'i',"
          + " True: 'b', 2**40: 'l', b'k': 'y'}",
          dict(PythonTuple.of(1, 2), "t", PythonFrozenSet.of(3), "f", null, 0, 1.5, "x", 7, "i",
              true, "b", 1L << 40, "l", new byte[] {'k'}, "y")),
      new Row("set_empty", "set()", set()),
      new Row("set", "{1, 2, 3}", set(1, 2, 3)),
      new Row("set_mixed", "{'a', (1, None), frozenset()}",
          set("a", PythonTuple.of(1, null), PythonFrozenSet.of())),
      new Row("frozenset_empty", "frozenset()", PythonFrozenSet.of()),
      new Row("frozenset", "frozenset({1, 'b'})", PythonFrozenSet.of(1, "b")),
      new Row("request", "('7f3a', '__setitem__', ('k', {'v': [1]}), {})",
          PythonTuple.of("7f3a", "__setitem__", PythonTuple.of("k", dict("v", list(1))), dict())));

  private static final String DUMP = String.join("\n",
      "import sys, pickle",
      "for line in sys.stdin.read().splitlines():",
      "    name, expr = line.split('\\t')",
      "    value = eval(expr)",
      "    for p in list(range(pickle.HIGHEST_PROTOCOL + 1)) + [None]:",
      "        print(name, p, pickle.dumps(value, protocol=p).hex())");

  private static final String SAME = String.join("\n",
      "import math, pickletools",
      "def same(a, b):",
      "    if type(a) is not type(b):",
      "        return False",
      "    if isinstance(a, float):",
      "        return math.isnan(a) and math.isnan(b) or a == b and"
          + " math.copysign(1, a) == math.copysign(1, b)",
      "    if isinstance(a, (list, tuple)):",
      "        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))",
      "    if isinstance(a, dict):",
      "        return (len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))",
      "                and all(same(a[k], b[k]) for k in a))",
      "    if isinstance(a, (set, frozenset)):",
      "        return a == b and all(same(x, next(y for y in b if y == x)) for x in a)",
      "    return a == b",
      "def globals_in(data):",
      "    names, strings = [], []",
      "    for op, arg, pos in pickletools.genops(data):",
      "        if op.name == 'GLOBAL':",
      "            names.append(arg.replace(' ', '.'))",
      "        elif op.name == 'STACK_GLOBAL':",
      "            names.append(strings[-2] + '.' + strings[-1])",
      "        elif isinstance(arg, str):",
      "            strings.append(arg)",
      "    return names");

  private static final String LOAD = String.join("\n",
      SAME,
      "import sys, pickle",
      "for line in sys.stdin.read().splitlines():",
      "    name, expr, data = line.split('\\t')",
      "    data = bytes.fromhex(data)",
      "    value, expected, found = pickle.loads(data), eval(expr), globals_in(data)",
      "    ok = same(expected, value) and not found",
      "    print(name, 'OK' if ok else 'FAIL %r %r %r' % (value, expected, found))");

  private static final String LOAD_REPLIES = String.join("\n",
      SAME,
      "import sys, pickle, queue",
      "from multiprocessing.managers import Token, RemoteError, convert_to_error",
      "for line in sys.stdin.read().splitlines():",
      "    name, check, allowed, data = line.split('\\t')",
      "    data = bytes.fromhex(data)",
      "    r, found = pickle.loads(data), globals_in(data)",
      "    ok = eval(check) and found == [g for g in allowed.split(',') if g]",
      "    print(name, 'OK' if ok else 'FAIL %r %r' % (r, found))");

  private static final String DUMP_REFUSED = String.join("\n",
      SAME,
      "import collections, os, pickle, subprocess",
      "from multiprocessing.managers import DictProxy, Token",
      "class Boom:",
      "    def __reduce__(self):",
      "        return (os.system, ('echo pwned',))",
      "class C:",
      "    pass",
      "c = C()",
      "c.x = 1",
      "proxy = DictProxy(Token('dict', ('127.0.0.1', 1), 'x'), 'pickle', manager=None,"
          + " authkey=b'k', incref=False)",
      "cases = {'os_system': Boom(), 'eval': eval, 'popen': subprocess.Popen, 'instance': c,"
          + " 'ordered_dict': collections.OrderedDict(a=1), 'bytearray': bytearray(b'x'),"
          + " 'complex': 1j, 'proxy': proxy, 'nested_eval': [1, {'k': (eval,)}]}",
      "for name, value in cases.items():",
      "    for p in range(pickle.HIGHEST_PROTOCOL + 1):",
      "        data = pickle.dumps(value, protocol=p)",
      "        print(name, p, (globals_in(data) + ['-'])[0], data.hex())");

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.jmanager.server.python.Pythons#interpreters")
  void pythonPickles_decodeToTheTablesJavaValues(Interpreter python) throws IOException {
    String stdin = ROWS.stream().map(r -> r.name() + "\t" + r.python())
        .collect(Collectors.joining("\n"));
    Result r = Pythons.run(python, DUMP, stdin.getBytes(StandardCharsets.UTF_8));
    assertEquals(0, r.exitCode(), r.stderr());
    Map<String, Row> rows = ROWS.stream().collect(Collectors.toMap(Row::name, row -> row));
    int checked = 0;
    for (String line : r.lines()) {
      String[] f = line.split(" ");
      Object decoded = pickle.decode(HEX.parseHex(f[2]));
      assertSameValue(rows.get(f[0]).java(), decoded, f[0] + " at protocol " + f[1]);
      checked++;
    }
    assertEquals(ROWS.size() * 7, checked, "rows times protocols 0-5 and the default");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.jmanager.server.python.Pythons#interpreters")
  void javaPickles_loadInPythonAsTheTablesPythonValues(Interpreter python) throws IOException {
    String stdin = ROWS.stream()
        .map(r -> r.name() + "\t" + r.python() + "\t" + HEX.formatHex(pickle.encode(r.java())))
        .collect(Collectors.joining("\n"));
    assertAllOk(Pythons.run(python, LOAD, stdin.getBytes(StandardCharsets.UTF_8)), ROWS.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.jmanager.server.python.Pythons#interpreters")
  void javaReplies_loadInPythonAsRealExceptionsAndTokens(Interpreter python) throws IOException {
    List<String> lines = new ArrayList<>();
    reply(lines, "return", new PythonReply.Return(list(1, "a")), "r == ('#RETURN', [1, 'a'])", "");
    String[][] errors = {
        {"KEY_ERROR", "KeyError", "builtins.KeyError"},
        {"INDEX_ERROR", "IndexError", "builtins.IndexError"},
        {"VALUE_ERROR", "ValueError", "builtins.ValueError"},
        {"TYPE_ERROR", "TypeError", "builtins.TypeError"},
        {"ATTRIBUTE_ERROR", "AttributeError", "builtins.AttributeError"},
        {"RUNTIME_ERROR", "RuntimeError", "builtins.RuntimeError"},
        {"STOP_ITERATION", "StopIteration", "builtins.StopIteration"},
        {"QUEUE_EMPTY", "queue.Empty", "queue.Empty"},
        {"QUEUE_FULL", "queue.Full", "queue.Full"},
        {"REMOTE_ERROR", "RemoteError", "multiprocessing.managers.RemoteError"}};
    assertEquals(Kind.values().length, errors.length, "every kind is checked");
    for (String[] e : errors) {
      reply(lines, e[0], new PythonReply.Error(PythonError.of(Kind.valueOf(e[0]), "msg", 2)),
          "r[0] == '#ERROR' and type(r[1]) is " + e[1] + " and r[1].args == ('msg', 2)"
              + " and convert_to_error(*r) is r[1]", e[2]);
    }
    reply(lines, "key_error_tuple_key", new PythonReply.Error(
        PythonError.keyError(PythonTuple.of(1, "k"))), "r[1].args == ((1, 'k'),)",
        "builtins.KeyError");
    reply(lines, "stop_iteration_value", new PythonReply.Error(
        PythonError.of(Kind.STOP_ITERATION, 3)), "r[1].value == 3", "builtins.StopIteration");
    reply(lines, "traceback", new PythonReply.Traceback("Traceback: boom"),
        "type(convert_to_error(*r)) is RemoteError"
            + " and convert_to_error(*r).args == ('Traceback: boom',)", "");
    reply(lines, "unserializable", new PythonReply.Unserializable("no pickle"),
        "type(convert_to_error(*r)) is RemoteError"
            + " and 'Unserializable message: no pickle' in convert_to_error(*r).args[0]", "");
    reply(lines, "proxy", new PythonReply.Proxy(List.of("get", "set"),
        PythonToken.tcp("dict", "127.0.0.1", 5000, "7f3a")),
        "r[0] == '#PROXY' and r[1][0] == ('get', 'set') and type(r[1][1]) is Token"
            + " and (r[1][1].typeid, r[1][1].address, r[1][1].id)"
            + " == ('dict', ('127.0.0.1', 5000), '7f3a')", "multiprocessing.managers.Token");
    reply(lines, "proxy_unix", new PythonReply.Proxy(List.of(),
        new PythonToken("queue", "/tmp/m.sock", "1")),
        "r[1][0] == () and r[1][1].address == '/tmp/m.sock'", "multiprocessing.managers.Token");
    String stdin = String.join("\n", lines);
    assertAllOk(Pythons.run(python, LOAD_REPLIES, stdin.getBytes(StandardCharsets.UTF_8)),
        lines.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.jmanager.server.python.Pythons#interpreters")
  void dangerousPickles_areRefused_namingTheirGlobal(Interpreter python) throws IOException {
    Result r = Pythons.run(python, DUMP_REFUSED);
    assertEquals(0, r.exitCode(), r.stderr());
    int checked = 0;
    for (String line : r.lines()) {
      String[] f = line.split(" ");
      String where = f[0] + " at protocol " + f[1];
      // protocol 5 writes a bytearray with its own opcode (BYTEARRAY8), naming no global
      String global = f[2].equals("-") && f[0].equals("bytearray") ? "builtins.bytearray" : f[2];
      UnpicklingException e = assertThrows(UnpicklingException.class,
          () -> pickle.decode(HEX.parseHex(f[3])), where);
      assertEquals(global, e.refusedGlobal(), where + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(global), e.getMessage());
      if (f[0].equals("proxy")) {
        assertTrue(e.getMessage().contains("proxies and tokens cannot be sent"), e.getMessage());
      }
      checked++;
    }
    assertEquals(9 * 6, checked);
  }

  private void reply(List<String> lines, String name, PythonReply reply, String check,
      String globals) {
    String hex = HEX.formatHex(pickle.encodeReply(reply));
    lines.add(name + "\t" + check + "\t" + globals + "\t" + hex);
  }

  private static void assertAllOk(Result r, int expected) {
    assertEquals(0, r.exitCode(), r.stderr());
    List<String> failed = r.lines().stream().filter(l -> !l.endsWith(" OK")).toList();
    assertEquals(List.of(), failed);
    assertEquals(expected, r.lines().size(), r.stdout());
  }

  /** Equal, and of the same Java types all the way down (byte[] by content, dicts in order). */
  private static void assertSameValue(Object expected, Object actual, String where) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, where);
      return;
    }
    if (expected instanceof List || expected instanceof Map || expected instanceof Set) {
      assertEquals(kind(expected), kind(actual), where);
    } else {
      assertEquals(expected.getClass(), actual.getClass(), where);
    }
    if (expected instanceof byte[] b) {
      assertTrue(Arrays.equals(b, (byte[]) actual), where);
    } else if (expected instanceof List<?> e) {
      List<?> a = (List<?>) actual;
      assertEquals(e.size(), a.size(), where);
      for (int i = 0; i < e.size(); i++) {
        assertSameValue(e.get(i), a.get(i), where + "[" + i + "]");
      }
    } else if (expected instanceof Map<?, ?> e) {
      Map<?, ?> a = (Map<?, ?>) actual;
      assertEquals(e.size(), a.size(), where);
      Iterator<? extends Map.Entry<?, ?>> ai = a.entrySet().iterator();
      for (Map.Entry<?, ?> entry : e.entrySet()) {
        Map.Entry<?, ?> got = ai.next();
        assertSameValue(entry.getKey(), got.getKey(), where + " key");
        assertSameValue(entry.getValue(), got.getValue(), where + "[" + entry.getKey() + "]");
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  /** The Java type the codec decodes to, for a container. */
  private static Class<?> kind(Object container) {
    if (container instanceof PythonTuple || container instanceof PythonFrozenSet) {
      return container.getClass();
    }
    if (container instanceof List) {
      return ArrayList.class;
    }
    if (container instanceof Map) {
      return LinkedHashMap.class;
    }
    if (container instanceof Set) {
      return LinkedHashSet.class;
    }
    fail("not a container: " + container);
    return null;
  }

  private static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  private static Map<Object, Object> dict(Object... keysAndValues) {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Set<Object> set(Object... items) {
    return new LinkedHashSet<>(Arrays.asList(items));
  }

  private static byte[] allBytesTwice() {
    byte[] b = new byte[512];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }
}
