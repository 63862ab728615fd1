package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonError.Kind;
import java.lang.reflect.InvocationTargetException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Translation of daemon failures, Python's repr and order, and the tables themselves. */
class PythonMethodsSupportTest {

  @Test
  void translate_mapsJdkExceptionsToPythonsByType() {
    assertEquals(
        PythonError.of(Kind.RUNTIME_ERROR, "m"),
        PythonMethods.translate(new IllegalMonitorStateException("m")));
    assertEquals(
        PythonError.of(Kind.INDEX_ERROR, "m"),
        PythonMethods.translate(new ArrayIndexOutOfBoundsException("m")));
    assertEquals(
        PythonError.of(Kind.KEY_ERROR, "m"),
        PythonMethods.translate(new NoSuchElementException("m")));
    assertEquals(
        PythonError.of(Kind.TYPE_ERROR, "m"),
        PythonMethods.translate(new NullPointerException("m")));
    assertEquals(
        PythonError.of(Kind.TYPE_ERROR, "m"), PythonMethods.translate(new ClassCastException("m")));
    assertEquals(
        PythonError.of(Kind.VALUE_ERROR, "m"),
        PythonMethods.translate(new NumberFormatException("m")));
    assertEquals(
        PythonError.of(Kind.RUNTIME_ERROR, "m"),
        PythonMethods.translate(new IllegalStateException("m")));
  }

  @Test
  void translate_otherFailures_areRemoteErrorNamingTheJavaException() {
    PythonError e = PythonMethods.translate(new ArithmeticException("overflow"));
    assertEquals(
        PythonError.of(
            Kind.REMOTE_ERROR,
            "the daemon failed the call with java.lang.ArithmeticException: overflow"),
        e);
  }

  @Test
  void translate_looksThroughWrappers() {
    Throwable wrapped =
        new CompletionException(new InvocationTargetException(new IndexOutOfBoundsException("i")));
    assertEquals(PythonError.of(Kind.INDEX_ERROR, "i"), PythonMethods.translate(wrapped));
    PythonException p = PythonException.of(Kind.QUEUE_EMPTY);
    assertEquals(p.error(), PythonMethods.translate(new CompletionException(p)));
  }

  @Test
  void pythonException_formatsAsPythonsLastTracebackLine() {
    assertEquals("KeyError: 'a'", PythonException.of(Kind.KEY_ERROR, "a").formatted());
    assertEquals(
        "IndexError: list index out of range",
        PythonException.of(Kind.INDEX_ERROR, "list index out of range").formatted());
    assertEquals("queue.Empty", PythonException.of(Kind.QUEUE_EMPTY).formatted());
    PythonException e = PythonException.of(Kind.QUEUE_FULL);
    assertEquals("queue", e.module());
    assertEquals("Full", e.name());
  }

  @Test
  void repr_ofFloatsIsPythons() {
    assertEquals("1.0", PythonRepr.repr(1.0));
    assertEquals("1.5", PythonRepr.repr(1.5));
    assertEquals("0.1", PythonRepr.repr(0.1));
    assertEquals("0.0001", PythonRepr.repr(0.0001));
    assertEquals("1e-05", PythonRepr.repr(0.00001));
    assertEquals("1000000000000000.0", PythonRepr.repr(1e15));
    assertEquals("1e+16", PythonRepr.repr(1e16));
    assertEquals("-1.25e+100", PythonRepr.repr(-1.25e100));
    assertEquals("-0.0", PythonRepr.repr(-0.0));
    assertEquals("inf", PythonRepr.repr(Double.POSITIVE_INFINITY));
    assertEquals("nan", PythonRepr.repr(Double.NaN));
  }

  @Test
  void repr_ofStrBytesAndContainersIsPythons() {
    assertEquals("'a'", PythonRepr.repr("a"));
    assertEquals("\"it's\"", PythonRepr.repr("it's"));
    assertEquals("'say \"hi\" it\\'s'", PythonRepr.repr("say \"hi\" it's"));
    assertEquals("'a\\nb\\x00'", PythonRepr.repr("a\nb\0"));
    assertEquals("'é'", PythonRepr.repr("é"));
    assertEquals("b'a\\x00\\xff'", PythonRepr.repr(new byte[] {'a', 0, (byte) 0xff}));
    assertEquals(
        "[None, True, (1,), ()]",
        PythonRepr.repr(Arrays.asList(null, true, PythonTuple.of(1), PythonTuple.of())));
    assertEquals("{'a': [1, 2]}", PythonRepr.repr(Map.of("a", List.of(1, 2))));
    assertEquals("set()", PythonRepr.repr(Set.of()));
    assertEquals("frozenset({1})", PythonRepr.repr(PythonFrozenSet.of(1)));
    assertEquals("12345678901234567890", PythonRepr.repr(new BigInteger("12345678901234567890")));
  }

  @Test
  void order_comparesNumbersOfEveryKindByValue() {
    List<Object> l = new ArrayList<>(List.of(2.5, 3, false, BigInteger.TWO.pow(64), -1L, 1.0));
    l.sort(PythonOrder.ASCENDING);
    assertEquals(List.of(-1L, false, 1.0, 2.5, 3, BigInteger.TWO.pow(64)), l);
    assertEquals(0, PythonOrder.order(1, 1.0));
    assertEquals(0, PythonOrder.order(true, 1));
    assertTrue(PythonOrder.order(BigInteger.TWO.pow(53).add(BigInteger.ONE), Math.pow(2, 53)) > 0);
    assertTrue(PythonOrder.order(Double.NaN, Double.POSITIVE_INFINITY) > 0);
  }

  @Test
  void order_ofStrBytesAndSequencesIsPythons() {
    assertTrue(PythonOrder.order("\uffff", "\ud83d\ude00") < 0); // by code point, not UTF-16 unit
    assertTrue(PythonOrder.order(new byte[] {1}, new byte[] {(byte) 0x80}) < 0);
    assertTrue(PythonOrder.order(List.of(1, "b"), List.of(1.0, "c")) < 0);
    assertTrue(PythonOrder.order(PythonTuple.of(1), PythonTuple.of(1, 0)) < 0);
    assertTrue(
        PythonOrder.order(Arrays.asList(null, 2), Arrays.asList(null, 1))
            > 0); // None == None: next pair
  }

  @Test
  void order_descending_keepsEqualElementsInOrder() {
    List<Object> l = new ArrayList<>(List.of(1, 2, 1.0, true));
    l.sort(PythonOrder.DESCENDING);
    assertEquals(List.of(2, 1, 1.0, true), l);
  }

  @Test
  void order_ofValuesPythonCannotCompare_isClassCastWithPythonsMessage() {
    ClassCastException e = assertThrows(ClassCastException.class, () -> PythonOrder.order("a", 1));
    assertEquals("'<' not supported between instances of 'str' and 'int'", e.getMessage());
    assertThrows(ClassCastException.class, () -> PythonOrder.order(null, 1));
    assertThrows(ClassCastException.class, () -> PythonOrder.order(List.of(1), PythonTuple.of(1)));
    assertThrows(ClassCastException.class, () -> PythonOrder.order(Map.of(), Map.of()));
  }

  @Test
  void truthAndIntegers() {
    assertFalse(PythonArgs.truthy(null));
    assertFalse(PythonArgs.truthy(0));
    assertFalse(PythonArgs.truthy(0.0));
    assertFalse(PythonArgs.truthy(""));
    assertFalse(PythonArgs.truthy(List.of()));
    assertTrue(PythonArgs.truthy(2));
    assertTrue(PythonArgs.truthy("x"));
    assertTrue(PythonArgs.truthy(BigInteger.TEN));
    assertEquals(Long.MAX_VALUE, PythonArgs.integer(BigInteger.TWO.pow(100)));
    assertEquals(1L, PythonArgs.integer(true));
    assertEquals(null, PythonArgs.integer(1.0));
    assertEquals(Long.MAX_VALUE, PythonArgs.nanos(1e300));
    assertEquals(1, PythonArgs.nanos(1e-10)); // rounded up, as CPython rounds timeouts
  }

  @Test
  void everyTypeidResolvesItsMethods_andPlansEachExposedName() {
    assertEquals(
        Set.of("dict", "list", "queue", "joinable-queue", "lock", "rlock", "value"),
        PythonMethods.typeids());
    for (String typeid : PythonMethods.typeids()) {
      for (String method : PythonMethods.exposed(typeid)) {
        try {
          Plans.plan(typeid, method);
        } catch (PythonException e) {
          // a call without arguments may be wrong for this method; never that it is unknown
          assertTrue(
              e.error().kind() != Kind.ATTRIBUTE_ERROR,
              typeid + "." + method + ": " + e.formatted());
        }
      }
    }
  }

  @Test
  void unknownTypeid_isIllegalArgument() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PythonMethods.exposed("barrier"));
    assertTrue(
        e.getMessage().contains("barrier") && e.getMessage().contains("dict"), e.getMessage());
  }
}
