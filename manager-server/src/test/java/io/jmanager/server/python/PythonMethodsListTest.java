package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import static io.jmanager.server.python.Plans.call;
import static io.jmanager.server.python.Plans.failure;
import static io.jmanager.server.python.Plans.message;
import static io.jmanager.server.python.Plans.plan;
import static io.jmanager.server.python.Plans.result;
import static io.jmanager.server.python.Plans.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.IteratorOver;
import io.jmanager.server.python.PythonMethods.Plan;
import io.jmanager.server.types.ListObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonMethodsListTest {
  private static final IndexOutOfBoundsException OUT =
      new IndexOutOfBoundsException("Index 9 out of bounds for length 3");

  private static ListObject listOf(Object... items) {
    ListObject l = new ListObject();
    l.addAll(Arrays.asList(items));
    return l;
  }

  @Test
  void getitem_nonNegativeIsGet_outOfRangeIsIndexError() {
    Plan p = plan("list", "__getitem__", 1);
    assertEquals("get(int)[1]", call(p));
    assertEquals("b", result(p, "b"));
    assertEquals("list index out of range", message(Kind.INDEX_ERROR, () -> failure(p, OUT)));
    assertEquals("get(int)[1]", call(plan("list", "__getitem__", true)));
    assertEquals(
        "list index out of range",
        message(Kind.INDEX_ERROR, () -> plan("list", "__getitem__", 1L << 40)));
  }

  @Test
  void getitem_negativeReadsOneCopy() {
    Plan p = plan("list", "__getitem__", -1);
    assertEquals("copy()[]", call(p));
    assertEquals("c", result(p, new ArrayList<>(List.of("a", "b", "c"))));
    assertEquals(
        "list index out of range",
        message(
            Kind.INDEX_ERROR,
            () ->
                result(plan("list", "__getitem__", -4), new ArrayList<>(List.of("a", "b", "c")))));
    assertEquals(
        "list index out of range",
        message(
            Kind.INDEX_ERROR,
            () -> result(plan("list", "__getitem__", BigInteger.TWO.pow(80).negate()), List.of())));
  }

  @Test
  void getitem_notAnInt_isTypeError() {
    assertEquals(
        "list indices must be integers or slices, not str",
        message(Kind.TYPE_ERROR, () -> plan("list", "__getitem__", "x")));
    assertEquals(
        "list indices must be integers or slices, not float",
        message(Kind.TYPE_ERROR, () -> plan("list", "__getitem__", 1.0)));
  }

  @Test
  void setitem_isSet_negativeAfterSize() {
    Plan p = plan("list", "__setitem__", 0, "v");
    assertEquals("set(int,Object)[0, v]", call(p));
    assertNull(result(p, "old"));
    assertEquals(
        "list assignment index out of range", message(Kind.INDEX_ERROR, () -> failure(p, OUT)));
    Plan negative = plan("list", "__setitem__", -1, "v");
    assertEquals("size()[]", call(negative));
    assertEquals("set(int,Object)[2, v]", call((Plan) result(negative, 3)));
    assertEquals(
        "list assignment index out of range", message(Kind.INDEX_ERROR, () -> result(negative, 0)));
  }

  @Test
  void negativeIndexMutation_startsOverIfTheListShrankMeanwhile() {
    Plan negative = plan("list", "__setitem__", -1, "v");
    Plan set = (Plan) result(negative, 3);
    assertEquals("size()[]", call((Plan) failure(set, OUT)));
  }

  @Test
  void delitem_isRemoveAt() {
    assertEquals("remove(int)[0]", call(plan("list", "__delitem__", 0)));
    ListObject l = listOf("a", "b", "c");
    assertNull(run(plan("list", "__delitem__", -1), l));
    assertEquals(List.of("a", "b"), l.copy());
    assertEquals(
        "list assignment index out of range",
        message(Kind.INDEX_ERROR, () -> run(plan("list", "__delitem__", 5), l)));
  }

  @Test
  void pop_withoutIndex_takesTheLast() {
    Plan p = plan("list", "pop");
    assertEquals("size()[]", call(p));
    assertEquals("remove(int)[1]", call((Plan) result(p, 2)));
    ListObject l = listOf("a", "b");
    assertEquals("b", run(plan("list", "pop"), l));
    assertEquals("a", run(plan("list", "pop"), l));
    assertEquals(
        "pop from empty list", message(Kind.INDEX_ERROR, () -> run(plan("list", "pop"), l)));
  }

  @Test
  void pop_atAnIndex_isOneRemoveAt_andWordsItsIndexErrorAsPython() {
    Plan p = plan("list", "pop", 0);
    assertEquals("remove(int)[0]", call(p));
    assertEquals("a", result(p, "a"));
    assertEquals(
        "pop from empty list",
        message(Kind.INDEX_ERROR, () -> run(plan("list", "pop", 0), listOf())));
    assertEquals(
        "pop index out of range",
        message(Kind.INDEX_ERROR, () -> run(plan("list", "pop", 5), listOf("a"))));
    assertEquals(
        "pop index out of range",
        message(Kind.INDEX_ERROR, () -> run(plan("list", "pop", -2), listOf("a"))));
    assertEquals("a", run(plan("list", "pop", -2), listOf("a", "b")));
    assertEquals(
        "'str' object cannot be interpreted as an integer",
        message(Kind.TYPE_ERROR, () -> plan("list", "pop", "x")));
    assertEquals(
        "list.pop() takes no keyword arguments",
        message(Kind.TYPE_ERROR, () -> plan("list", "pop", List.of(), Map.of("index", 1))));
  }

  @Test
  void appendAndExtend() {
    Plan append = plan("list", "append", "x");
    assertEquals("add(Object)[x]", call(append));
    assertNull(result(append, true));
    assertEquals(
        "add(Object)[null]", call(plan("list", "append", (Object) null))); // a list may hold None
    Plan extend = plan("list", "extend", PythonTuple.of(1, 2));
    assertEquals("addAll(Collection)[[1, 2]]", call(extend));
    assertNull(result(extend, true));
    assertEquals("addAll(Collection)[[a, b]]", call(plan("list", "extend", "ab")));
    assertEquals("addAll(Collection)[[a]]", call(plan("list", "extend", Map.of("a", 1))));
    assertEquals("local", call(plan("list", "extend", List.of())));
    assertEquals(
        "'int' object is not iterable", message(Kind.TYPE_ERROR, () -> plan("list", "extend", 5)));
  }

  @Test
  void insert_clampsAsPython() {
    assertEquals("add(int,Object)[0, x]", call(plan("list", "insert", 0, "x")));
    assertEquals("add(Object)[x]", call((Plan) failure(plan("list", "insert", 9, "x"), OUT)));
    ListObject l = listOf("a", "b");
    run(plan("list", "insert", -1, "x"), l);
    run(plan("list", "insert", -10, "first"), l);
    run(plan("list", "insert", 10, "last"), l);
    assertEquals(List.of("first", "a", "x", "b", "last"), l.copy());
  }

  @Test
  void remove_isRemoveObject_absentIsValueError() {
    Plan p = plan("list", "remove", 3);
    assertEquals("remove(Object)[3]", call(p));
    assertNull(result(p, true));
    assertEquals(
        "list.remove(x): x not in list", message(Kind.VALUE_ERROR, () -> result(p, false)));
  }

  @Test
  void index_isIndexOf_orACopyWithBounds() {
    Plan p = plan("list", "index", "x");
    assertEquals("indexOf(Object)[x]", call(p));
    assertEquals(2, result(p, 2));
    assertEquals("'x' is not in list", message(Kind.VALUE_ERROR, () -> result(p, -1)));
    List<Object> copy = List.of("x", "a", "x");
    assertEquals("copy()[]", call(plan("list", "index", "x", 1)));
    assertEquals(2, result(plan("list", "index", "x", 1), copy));
    assertEquals(2, result(plan("list", "index", "x", -1), copy));
    assertEquals(
        "'x' is not in list",
        message(Kind.VALUE_ERROR, () -> result(plan("list", "index", "x", 1, 2), copy)));
  }

  @Test
  void countContainsLenClearCopy() {
    assertEquals(2, result(plan("list", "count", "x"), List.of("x", "a", "x")));
    assertEquals("contains(Object)[x]", call(plan("list", "__contains__", "x")));
    assertEquals("size()[]", call(plan("list", "__len__")));
    assertEquals("clear()[]", call(plan("list", "clear")));
    assertEquals("copy()[]", call(plan("list", "copy")));
    assertEquals(List.of(1), result(plan("list", "#GETVALUE"), List.of(1)));
  }

  @Test
  void sort_isOneDaemonSortInPythonsOrder() {
    assertEquals("sort(Comparator)[ASCENDING]", call(plan("list", "sort")));
    assertEquals(
        "sort(Comparator)[DESCENDING]",
        call(plan("list", "sort", List.of(), Map.of("reverse", true))));
    Map<String, Object> noKey = new java.util.HashMap<>();
    noKey.put("key", null);
    assertEquals("sort(Comparator)[ASCENDING]", call(plan("list", "sort", List.of(), noKey)));
    ListObject l = listOf(3, 1.5, BigInteger.TWO.pow(70), true, -1L);
    run(plan("list", "sort"), l);
    assertEquals(List.of(-1L, true, 1.5, 3, BigInteger.TWO.pow(70)), l.copy());
  }

  @Test
  void sort_refusesKeysAndPositionalArguments() {
    assertTrue(
        message(Kind.TYPE_ERROR, () -> plan("list", "sort", List.of(), Map.of("key", "len")))
            .contains("key function"));
    assertEquals(
        "list.sort() takes no positional arguments",
        message(Kind.TYPE_ERROR, () -> plan("list", "sort", true)));
    assertEquals(
        "list.sort() got an unexpected keyword argument 'cmp'",
        message(Kind.TYPE_ERROR, () -> plan("list", "sort", List.of(), Map.of("cmp", 1))));
  }

  @Test
  void sort_ofValuesPythonCannotOrder_isTypeError() {
    ListObject l = listOf("a", 1);
    assertEquals(
        "'<' not supported between instances of 'int' and 'str'",
        message(Kind.TYPE_ERROR, () -> run(plan("list", "sort"), l)));
  }

  @Test
  void reverse_isRefusedSayingWhy() {
    String why = message(Kind.RUNTIME_ERROR, () -> plan("list", "reverse"));
    assertTrue(why.contains("not supported on a shared list") && why.contains("reversed(l)"), why);
  }

  @Test
  void imul_clearsKeepsOrIsRefused() {
    assertEquals("clear()[]", call(plan("list", "__imul__", 0)));
    assertEquals("local", call(plan("list", "__imul__", 1)));
    message(Kind.RUNTIME_ERROR, () -> plan("list", "__imul__", 2));
    assertEquals(
        "can't multiply sequence by non-int of type 'float'",
        message(Kind.TYPE_ERROR, () -> plan("list", "__imul__", 2.0)));
  }

  @Test
  void mulAddReversed_areComputedFromACopy() {
    List<Object> copy = List.of(1, 2);
    assertEquals(List.of(1, 2, 1, 2), result(plan("list", "__mul__", 2), copy));
    assertEquals(List.of(), result(plan("list", "__rmul__", -1), copy));
    assertEquals(
        List.of(1, 2, 3), result(plan("list", "__add__", new ArrayList<>(List.of(3))), copy));
    assertEquals(
        "can only concatenate list (not \"tuple\") to list",
        message(Kind.TYPE_ERROR, () -> plan("list", "__add__", PythonTuple.of(3))));
    assertEquals(new IteratorOver(List.of(2, 1)), result(plan("list", "__reversed__"), copy));
  }

  @Test
  void repr_isPythonsRepr() {
    assertEquals(
        "['a', 1, None, (1,)]",
        result(plan("list", "__repr__"), Arrays.asList("a", 1, null, PythonTuple.of(1))));
  }
}
