package io.jmanager.server.python;

import static io.jmanager.server.python.Plans.call;
import static io.jmanager.server.python.Plans.failure;
import static io.jmanager.server.python.Plans.message;
import static io.jmanager.server.python.Plans.plan;
import static io.jmanager.server.python.Plans.raised;
import static io.jmanager.server.python.Plans.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.Plan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonMethodsLockValueTest {

  @Test
  void acquire_blockingForever_isLock_answersTrue() {
    Plan p = plan("lock", "acquire");
    assertEquals("lock()[]", call(p));
    assertEquals(true, result(p, null));
    assertEquals("lock()[]", call(plan("lock", "acquire", true)));
    assertEquals("lock()[]", call(plan("lock", "acquire", true, -1)));
    Map<String, Object> noTimeout = new HashMap<>();
    noTimeout.put("timeout", null);
    assertEquals("lock()[]", call(plan("lock", "acquire", List.of(), noTimeout)));
  }

  @Test
  void acquire_withTimeout_isTimedTryLock() {
    Plan p = plan("lock", "acquire", true, 0.5);
    assertEquals("tryLock(long,TimeUnit)[500000000, NANOSECONDS]", call(p));
    assertEquals(false, result(p, false));
    assertEquals(
        "tryLock(long,TimeUnit)[1000000000, NANOSECONDS]",
        call(plan("lock", "acquire", List.of(), Map.of("timeout", 1))));
  }

  @Test
  void acquire_nonBlocking_isTryLock() {
    Plan p = plan("lock", "acquire", false);
    assertEquals("tryLock()[]", call(p));
    assertEquals(true, result(p, true));
    assertEquals(
        "tryLock()[]", call(plan("lock", "acquire", List.of(), Map.of("blocking", false))));
  }

  @Test
  void acquire_badTimeouts_areAsPython() {
    assertEquals(
        "can't specify a timeout for a non-blocking call",
        message(Kind.VALUE_ERROR, () -> plan("lock", "acquire", false, 1)));
    assertEquals(
        "timeout value must be positive",
        message(Kind.VALUE_ERROR, () -> plan("lock", "acquire", true, -2)));
  }

  @Test
  void release_isUnlock_notHeldIsRuntimeError() {
    Plan p = plan("lock", "release");
    assertEquals("unlock()[]", call(p));
    assertNull(result(p, null));
    assertEquals(
        PythonError.of(Kind.RUNTIME_ERROR, "lock is not locked"),
        raised(() -> failure(p, new IllegalMonitorStateException("lock is not locked"))));
    assertEquals(
        "lock.release() takes no arguments (1 given)",
        message(Kind.TYPE_ERROR, () -> plan("lock", "release", 1)));
  }

  @Test
  void rlock_isServedAlike_enterIsNotExposed() {
    assertEquals("lock()[]", call(plan("rlock", "acquire")));
    assertEquals(List.of("acquire", "release"), PythonMethods.exposed("rlock"));
    String text = message(Kind.ATTRIBUTE_ERROR, () -> plan("rlock", "__enter__"));
    assertEquals(
        "method '__enter__' of <class '_thread.RLock'> object is not in exposed=('acquire',"
            + " 'release')",
        text);
  }

  @Test
  void value_getAndSet() {
    Plan get = plan("value", "get");
    assertEquals("get()[]", call(get));
    assertEquals(3, result(get, 3));
    Plan set = plan("value", "set", 5);
    assertEquals("set(Object)[5]", call(set));
    assertNull(result(set, null));
    assertEquals("set(Object)[null]", call(plan("value", "set", (Object) null)));
    assertEquals("set(Object)[5]", call(plan("value", "set", List.of(), Map.of("value", 5))));
    assertEquals("Value('a')", result(plan("value", "__repr__"), "a"));
    assertEquals(List.of("get", "set"), PythonMethods.exposed("value"));
  }
}
