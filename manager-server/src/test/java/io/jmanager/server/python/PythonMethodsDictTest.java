package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import static io.jmanager.server.python.Plans.assertRaises;
import static io.jmanager.server.python.Plans.call;
import static io.jmanager.server.python.Plans.failure;
import static io.jmanager.server.python.Plans.message;
import static io.jmanager.server.python.Plans.plan;
import static io.jmanager.server.python.Plans.raised;
import static io.jmanager.server.python.Plans.result;
import static io.jmanager.server.python.Plans.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.IteratorOver;
import io.jmanager.server.python.PythonMethods.Plan;
import io.jmanager.server.types.DictObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonMethodsDictTest {

  @Test
  void getitem_isGet_absentIsKeyError() {
    Plan p = plan("dict", "__getitem__", "a");
    assertEquals("get(Object)[a]", call(p));
    assertEquals(1, result(p, 1));
    assertRaises(Kind.KEY_ERROR, "a", () -> result(p, null));
  }

  @Test
  void getitem_noneKeyIsKeyErrorWithoutACall_unhashableKeyIsTypeError() {
    assertRaises(Kind.KEY_ERROR, null, () -> plan("dict", "__getitem__", (Object) null));
    assertEquals(
        "unhashable type: 'list'",
        message(Kind.TYPE_ERROR, () -> plan("dict", "__getitem__", List.of(1))));
    assertEquals("get(Object)[(1, 2)]", call(plan("dict", "__getitem__", PythonTuple.of(1, 2))));
  }

  @Test
  void setitem_isPut_answersNone() {
    Plan p = plan("dict", "__setitem__", "a", 1);
    assertEquals("put(Object,Object)[a, 1]", call(p));
    assertNull(result(p, 7)); // the previous value is not Python's answer
  }

  @Test
  void setitem_none_isTypeErrorSayingWhy() {
    String value = message(Kind.TYPE_ERROR, () -> plan("dict", "__setitem__", "a", null));
    assertTrue(
        value.contains("cannot hold None as a value") && value.contains("ConcurrentMap"), value);
    String key = message(Kind.TYPE_ERROR, () -> plan("dict", "__setitem__", null, 1));
    assertTrue(key.contains("cannot hold None as a key"), key);
    message(Kind.TYPE_ERROR, () -> plan("dict", "__setitem__", new byte[] {1}, 1));
    message(Kind.TYPE_ERROR, () -> plan("dict", "__setitem__", new ArrayList<>(List.of(1)), 1));
  }

  @Test
  void delitem_isRemove_absentIsKeyError() {
    Plan p = plan("dict", "__delitem__", "a");
    assertEquals("remove(Object)[a]", call(p));
    assertNull(result(p, 1));
    assertRaises(Kind.KEY_ERROR, "a", () -> result(p, null));
    assertRaises(Kind.KEY_ERROR, null, () -> plan("dict", "__delitem__", (Object) null));
  }

  @Test
  void containsAndLen() {
    assertEquals("containsKey(Object)[a]", call(plan("dict", "__contains__", "a")));
    Plan none = plan("dict", "__contains__", (Object) null);
    assertEquals("local", call(none));
    assertEquals(false, result(none, null));
    assertEquals("size()[]", call(plan("dict", "__len__")));
  }

  @Test
  void get_absentIsTheDefault() {
    Plan p = plan("dict", "get", "a");
    assertEquals("get(Object)[a]", call(p));
    assertNull(result(p, null));
    assertEquals(2, result(p, 2));
    assertEquals(5, result(plan("dict", "get", "a", 5), null));
    assertEquals(5, result(plan("dict", "get", null, 5), null));
  }

  @Test
  void get_takesPositionalArgumentsOnly() {
    assertEquals(
        "dict.get() takes no keyword arguments",
        message(Kind.TYPE_ERROR, () -> plan("dict", "get", List.of("a"), Map.of("default", 1))));
    assertEquals(
        "dict.get() takes at most 2 arguments (3 given)",
        message(Kind.TYPE_ERROR, () -> plan("dict", "get", "a", 1, 2)));
    assertEquals(
        "dict.get() takes at least 1 argument (0 given)",
        message(Kind.TYPE_ERROR, () -> plan("dict", "get")));
  }

  @Test
  void pop_isRemove_absentIsTheDefaultOrKeyError() {
    Plan p = plan("dict", "pop", "a");
    assertEquals("remove(Object)[a]", call(p));
    assertEquals(1, result(p, 1));
    assertRaises(Kind.KEY_ERROR, "a", () -> result(p, null));
    assertEquals(7, result(plan("dict", "pop", "a", 7), null));
    assertNull(result(plan("dict", "pop", "a", null), null)); // an explicit None default
    assertEquals(7, result(plan("dict", "pop", null, 7), null));
  }

  @Test
  void popitem_removesAKeyOfACopy_thenAnswersATuple() {
    DictObject d = new DictObject();
    d.put("a", 1);
    Plan p = plan("dict", "popitem");
    assertEquals("copy()[]", call(p));
    assertEquals(PythonTuple.of("a", 1), run(p, d));
    assertEquals(0, d.size());
    assertRaises(
        Kind.KEY_ERROR, "popitem(): dictionary is empty", () -> run(plan("dict", "popitem"), d));
  }

  @Test
  void popitem_keyTakenMeanwhile_triesTheNext_thenLooksAgain() {
    Map<Object, Object> seen = new LinkedHashMap<>(Map.of("a", 1));
    seen.put("b", 2);
    Plan first = (Plan) result(plan("dict", "popitem"), seen);
    assertEquals("remove(Object)[a]", call(first));
    Plan second = (Plan) result(first, null); // another process removed "a"
    assertEquals("remove(Object)[b]", call(second));
    assertEquals(PythonTuple.of("b", 2), result(second, 2));
    Plan again = (Plan) result(second, null); // "b" too: copy again
    assertEquals("copy()[]", call(again));
  }

  @Test
  void setdefault_isPutIfAbsent() {
    Plan p = plan("dict", "setdefault", "a", 5);
    assertEquals("putIfAbsent(Object,Object)[a, 5]", call(p));
    assertEquals(5, result(p, null));
    assertEquals(3, result(p, 3));
  }

  @Test
  void setdefault_withoutADefault_readsAndCannotStoreNone() {
    Plan p = plan("dict", "setdefault", "a");
    assertEquals("get(Object)[a]", call(p));
    assertEquals(3, result(p, 3));
    assertTrue(message(Kind.TYPE_ERROR, () -> result(p, null)).contains("cannot hold None"));
  }

  @Test
  void update_mergesMappingPairsAndKeywords_intoOnePutAll() {
    Map<String, Object> mapping = new LinkedHashMap<>(Map.of("a", 1));
    Plan p = plan("dict", "update", List.of(mapping), Map.of("c", 3));
    assertEquals("putAll(Map)[{a=1, c=3}]", call(p));
    assertNull(result(p, null));
    List<Object> pairs = List.of(PythonTuple.of("a", 1), new ArrayList<>(List.of("b", 2)), "xy");
    assertEquals("putAll(Map)[{a=1, b=2, x=y}]", call(plan("dict", "update", pairs)));
    assertEquals("local", call(plan("dict", "update")));
  }

  @Test
  void update_badArguments_areAsPython() {
    assertEquals(
        "dictionary update sequence element #0 has length 3; 2 is required",
        message(Kind.VALUE_ERROR, () -> plan("dict", "update", List.of(PythonTuple.of(1, 2, 3)))));
    assertEquals(
        "cannot convert dictionary update sequence element #0 to a sequence",
        message(Kind.TYPE_ERROR, () -> plan("dict", "update", List.of(5))));
    assertEquals(
        "'int' object is not iterable", message(Kind.TYPE_ERROR, () -> plan("dict", "update", 5)));
    assertEquals(
        "update expected at most 1 argument, got 2",
        message(Kind.TYPE_ERROR, () -> plan("dict", "update", Map.of(), Map.of())));
    Map<Object, Object> withNone = new HashMap<>();
    withNone.put("a", null);
    message(Kind.TYPE_ERROR, () -> plan("dict", "update", withNone));
  }

  @Test
  void ior_isUpdate() {
    assertEquals("putAll(Map)[{a=1}]", call(plan("dict", "__ior__", Map.of("a", 1))));
    assertEquals(
        "'NoneType' object is not iterable",
        message(Kind.TYPE_ERROR, () -> plan("dict", "__ior__", (Object) null)));
  }

  @Test
  void clearAndCopy() {
    Plan clear = plan("dict", "clear");
    assertEquals("clear()[]", call(clear));
    assertNull(result(clear, null));
    HashMap<Object, Object> copy = new HashMap<>(Map.of("a", 1));
    assertEquals("copy()[]", call(plan("dict", "copy")));
    assertEquals(copy, result(plan("dict", "copy"), copy));
    assertEquals(copy, result(plan("dict", "#GETVALUE"), copy));
  }

  @Test
  void keysValuesItems_areListsFromOneCopy() {
    Map<Object, Object> copy = new LinkedHashMap<>();
    copy.put("a", 1);
    copy.put("b", 2);
    assertEquals("copy()[]", call(plan("dict", "keys")));
    assertEquals(List.of("a", "b"), result(plan("dict", "keys"), copy));
    assertEquals(List.of(1, 2), result(plan("dict", "values"), copy));
    List<?> items = (List<?>) result(plan("dict", "items"), copy);
    assertEquals(List.of(PythonTuple.of("a", 1), PythonTuple.of("b", 2)), items);
    assertInstanceOf(PythonTuple.class, items.get(0));
    assertEquals(
        "dict.keys() takes no arguments (1 given)",
        message(Kind.TYPE_ERROR, () -> plan("dict", "keys", 1)));
  }

  @Test
  void iter_isAnIteratorOverTheKeys() {
    Map<Object, Object> copy = new LinkedHashMap<>();
    copy.put("a", 1);
    copy.put("b", 2);
    assertEquals(new IteratorOver(List.of("a", "b")), result(plan("dict", "__iter__"), copy));
    assertEquals(new IteratorOver(List.of("b", "a")), result(plan("dict", "__reversed__"), copy));
  }

  @Test
  void or_isANewDict() {
    Map<Object, Object> mine = new LinkedHashMap<>(Map.of("a", 1));
    assertEquals(Map.of("a", 2), result(plan("dict", "__or__", Map.of("a", 2)), mine));
    assertEquals(Map.of("a", 1), result(plan("dict", "__ror__", Map.of("a", 2)), mine));
    assertEquals(
        "unsupported operand type(s) for |: 'dict' and 'list'",
        message(Kind.TYPE_ERROR, () -> plan("dict", "__or__", List.of())));
  }

  @Test
  void fromkeys_isAnsweredWithoutACall() {
    Plan p = plan("dict", "fromkeys", List.of("a", "b"), 0);
    assertEquals("local", call(p));
    assertEquals(Map.of("a", 0, "b", 0), result(p, null));
  }

  @Test
  void repr_isPythonsRepr() {
    Map<Object, Object> copy = new LinkedHashMap<>();
    copy.put("a", 1);
    copy.put(2, List.of(true, 1.5));
    assertEquals("{'a': 1, 2: [True, 1.5]}", result(plan("dict", "__repr__"), copy));
    assertEquals("{'a': 1, 2: [True, 1.5]}", result(plan("dict", "__str__"), copy));
  }

  @Test
  void daemonFailure_isTranslated() {
    Plan p = plan("dict", "__setitem__", "a", 1);
    assertEquals(Kind.REMOTE_ERROR, raised(() -> failure(p, new ArithmeticException("x"))).kind());
  }

  @Test
  void unexposedMethod_isAttributeErrorAsCPythonWordsIt() {
    PythonException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PythonException.class, () -> plan("dict", "nope"));
    assertEquals(Kind.ATTRIBUTE_ERROR, e.error().kind());
    String text = (String) e.error().args().get(0);
    assertTrue(
        text.startsWith(
            "method 'nope' of <class 'dict'> object is not in exposed=('__contains__', "),
        text);
    assertTrue(e.formatted().startsWith("AttributeError: method 'nope'"), e.formatted());
  }

  @Test
  void exposed_isDictProxysMethods() {
    List<String> exposed = PythonMethods.exposed("dict");
    for (String m :
        List.of(
            "__contains__",
            "__delitem__",
            "__getitem__",
            "__iter__",
            "__len__",
            "__setitem__",
            "clear",
            "copy",
            "get",
            "items",
            "keys",
            "pop",
            "popitem",
            "setdefault",
            "update",
            "values")) {
      assertTrue(exposed.contains(m), m);
    }
  }
}
