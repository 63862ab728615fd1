package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import static io.jmanager.server.python.Plans.message;
import static io.jmanager.server.python.Plans.plan;
import static io.jmanager.server.python.Plans.raised;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jmanager.client.JoinableQueue;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.SharedValue;
import io.jmanager.server.TestDaemon;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.IteratorOver;
import io.jmanager.server.python.PythonMethods.Plan;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Python sessions run as the gateway runs them, against a real daemon: each plan's method called on
 * a Java proxy of the same object, so every method chosen is proven served, with the daemon's own
 * semantics (parked waits, lock owners, timeouts).
 */
class PythonMethodsDaemonTest {
  private static TestDaemon daemon;
  private static Manager m;

  @BeforeAll
  static void start() {
    // the sort order travels to the daemon by name from this Java client (the gateway passes it
    // in-process)
    daemon = new TestDaemon(b -> b.allow(PythonOrder.class.getName()));
    m = daemon.connect();
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  /**
   * {@code proxy.method(*args, **kwds)} in Python, served through {@code proxy}'s daemon object.
   */
  private static Object py(
      Object proxy, String method, List<Object> args, Map<String, Object> kwds) {
    String typeid = ((io.jmanager.client.SharedObject) proxy).typeid();
    return Plans.run(Plans.plan(typeid, method, args, kwds), proxy);
  }

  private static Object py(Object proxy, String method, Object... args) {
    return py(proxy, method, List.of(args), Map.of());
  }

  @Test
  void dictSession() {
    SharedDict<Object, Object> d = m.dict("py-registry");
    assertNull(py(d, "__setitem__", "a", 1));
    assertEquals(1, py(d, "__getitem__", "a"));
    assertEquals(1, d.get("a")); // the same object as Java's
    assertEquals(PythonError.keyError("missing"), raised(() -> py(d, "__getitem__", "missing")));
    assertEquals(7, py(d, "pop", "missing", 7));
    assertNull(py(d, "update", List.of(Map.of("b", 2)), Map.of("c", 3)));
    assertEquals(
        Set.of(PythonTuple.of("a", 1), PythonTuple.of("b", 2), PythonTuple.of("c", 3)),
        new HashSet<>((List<?>) py(d, "items")));
    assertEquals(1, py(d, "setdefault", "a", 9));
    assertEquals(true, py(d, "__contains__", "b"));
    assertEquals(3, py(d, "__len__"));
    assertEquals(Set.of("a", "b", "c"), new HashSet<>(((IteratorOver) py(d, "__iter__")).items()));
    assertNull(py(d, "__delitem__", "c"));
    assertEquals("none", py(d, "get", "c", "none"));
    Set<Object> popped = new HashSet<>();
    popped.add(py(d, "popitem"));
    popped.add(py(d, "popitem"));
    assertEquals(Set.of(PythonTuple.of("a", 1), PythonTuple.of("b", 2)), popped);
    assertEquals(
        PythonError.keyError("popitem(): dictionary is empty"), raised(() -> py(d, "popitem")));
  }

  @Test
  void listSession() {
    SharedList<Object> l = m.list("py-list");
    py(l, "append", "a");
    py(l, "extend", List.of("b", "c"));
    assertEquals("c", py(l, "__getitem__", -1));
    py(l, "__setitem__", -1, "z");
    assertEquals("z", py(l, "pop"));
    py(l, "insert", -1, "x");
    assertEquals(List.of("a", "x", "b"), l.copy());
    assertEquals(2, py(l, "index", "b"));
    assertEquals(
        "list.remove(x): x not in list", message(Kind.VALUE_ERROR, () -> py(l, "remove", "nope")));
    assertEquals(
        "list index out of range", message(Kind.INDEX_ERROR, () -> py(l, "__getitem__", 9)));
    py(l, "clear");
    py(l, "extend", List.of(3, 1.5, 2));
    py(l, "sort", List.of(), Map.of("reverse", true));
    assertEquals(List.of(3, 2, 1.5), l.copy());
    py(l, "append", "s");
    assertEquals(
        "'<' not supported between instances of 'str' and 'float'",
        message(
            Kind.TYPE_ERROR,
            () -> py(l, "sort"))); // the daemon's ClassCastException, as Python words it
    py(l, "clear");
    assertEquals("pop from empty list", message(Kind.INDEX_ERROR, () -> py(l, "pop")));
    assertEquals("pop from empty list", message(Kind.INDEX_ERROR, () -> py(l, "pop", 0)));
  }

  @Test
  void queueSession() {
    SharedQueue<Object> q = m.queue("py-queue");
    assertNull(py(q, "put", "job"));
    assertEquals(1, py(q, "qsize"));
    assertEquals("job", py(q, "get"));
    assertEquals(true, py(q, "empty"));
    assertEquals(
        PythonError.of(Kind.QUEUE_EMPTY),
        raised(() -> py(q, "get", List.of(), Map.of("timeout", 0.05))));
    assertEquals(PythonError.of(Kind.QUEUE_EMPTY), raised(() -> py(q, "get_nowait")));
    SharedQueue<Object> bounded = m.queue("py-bounded", 1);
    py(bounded, "put_nowait", 1);
    assertEquals(true, py(bounded, "full"));
    assertEquals(PythonError.of(Kind.QUEUE_FULL), raised(() -> py(bounded, "put", 2, false)));
    assertEquals(
        PythonError.of(Kind.QUEUE_FULL),
        raised(() -> py(bounded, "put", List.of(2), Map.of("timeout", 0.05))));
    assertEquals(1, py(bounded, "get", true, 1));
  }

  @Test
  void joinableQueueSession() {
    JoinableQueue<Object> q = m.joinableQueue("py-joinable");
    py(q, "put", "task");
    assertEquals("task", py(q, "get"));
    assertNull(py(q, "task_done"));
    assertNull(py(q, "join"));
    assertEquals(
        "task_done() called too many times", message(Kind.VALUE_ERROR, () -> py(q, "task_done")));
  }

  @Test
  void lockSession() {
    SharedLock lock = m.lock("py-lock");
    assertEquals(true, py(lock, "acquire"));
    assertEquals(false, py(lock, "acquire", false));
    assertEquals(false, py(lock, "acquire", true, 0.05));
    assertNull(py(lock, "release"));
    assertInstanceOf(String.class, message(Kind.RUNTIME_ERROR, () -> py(lock, "release")));
    SharedLock rlock = m.rlock("py-rlock");
    assertEquals(true, py(rlock, "acquire"));
    assertEquals(true, py(rlock, "acquire", List.of(), Map.of("blocking", false)));
    py(rlock, "release");
    py(rlock, "release");
  }

  @Test
  void valueSession() {
    SharedValue<Object> v = m.value("py-value", 1);
    assertEquals(1, py(v, "get"));
    assertNull(py(v, "set", 5));
    assertEquals(5, v.get());
    assertEquals("Value(5)", py(v, "__repr__"));
  }

  @Test
  void planMethods_areInvokedOnTheProxyDirectly() throws Exception {
    SharedDict<Object, Object> d = m.dict("py-direct");
    Plan p = plan("dict", "__setitem__", "k", "v");
    p.result().apply(p.method().invoke(d, p.args()));
    Plan get = plan("dict", "__getitem__", "k");
    assertEquals("v", get.result().apply(get.method().invoke(d, get.args())));
  }
}
