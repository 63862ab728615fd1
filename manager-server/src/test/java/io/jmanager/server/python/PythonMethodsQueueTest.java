package io.jmanager.server.python;

import static io.jmanager.server.python.Plans.call;
import static io.jmanager.server.python.Plans.failure;
import static io.jmanager.server.python.Plans.message;
import static io.jmanager.server.python.Plans.plan;
import static io.jmanager.server.python.Plans.raised;
import static io.jmanager.server.python.Plans.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.Plan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonMethodsQueueTest {

  @Test
  void put_blocking_isPut() {
    Plan p = plan("queue", "put", "job");
    assertEquals("put(Object)[job]", call(p));
    assertNull(result(p, null));
    assertEquals(
        "put(Object)[job]", call(plan("queue", "put", List.of("job"), Map.of("block", true))));
  }

  @Test
  void put_withTimeout_isTimedOffer_falseIsFull() {
    Plan p = plan("queue", "put", List.of("job"), Map.of("timeout", 0.5));
    assertEquals("offer(Object,long,TimeUnit)[job, 500000000, NANOSECONDS]", call(p));
    assertNull(result(p, true));
    assertEquals(PythonError.of(Kind.QUEUE_FULL), raised(() -> result(p, false)));
    assertEquals(
        "offer(Object,long,TimeUnit)[job, 2000000000, NANOSECONDS]",
        call(plan("queue", "put", "job", 1, 2)));
  }

  @Test
  void put_nonBlocking_isOffer_whateverTheTimeout() {
    Plan p = plan("queue", "put", "job", false);
    assertEquals("offer(Object)[job]", call(p));
    assertEquals(PythonError.of(Kind.QUEUE_FULL), raised(() -> result(p, false)));
    assertEquals(
        "offer(Object)[job]",
        call(plan("queue", "put", List.of("job"), Map.of("block", false, "timeout", -1))));
    assertEquals("offer(Object)[job]", call(plan("queue", "put_nowait", "job")));
  }

  @Test
  void put_badArguments_areAsPython() {
    assertEquals(
        "'timeout' must be a non-negative number",
        message(Kind.VALUE_ERROR, () -> plan("queue", "put", "job", true, -1)));
    assertTrue(
        message(Kind.TYPE_ERROR, () -> plan("queue", "put", (Object) null))
            .contains("cannot hold None"));
    assertEquals(
        "Queue.put() missing required argument 'item'",
        message(Kind.TYPE_ERROR, () -> plan("queue", "put")));
    assertEquals(
        "Queue.put() got an unexpected keyword argument 'wait'",
        message(Kind.TYPE_ERROR, () -> plan("queue", "put", List.of("job"), Map.of("wait", 1))));
    assertEquals(
        "Queue.put() got multiple values for argument 'item'",
        message(Kind.TYPE_ERROR, () -> plan("queue", "put", List.of("job"), Map.of("item", 1))));
    assertEquals(
        "Queue.put() takes at most 3 arguments (4 given)",
        message(Kind.TYPE_ERROR, () -> plan("queue", "put", "job", true, 1, 2)));
  }

  @Test
  void get_blocking_isTake() {
    Plan p = plan("queue", "get");
    assertEquals("take()[]", call(p));
    assertEquals("job", result(p, "job"));
    Map<String, Object> noTimeout = new HashMap<>();
    noTimeout.put("timeout", null);
    assertEquals("take()[]", call(plan("queue", "get", List.of(), noTimeout)));
  }

  @Test
  void get_withTimeout_isTimedPoll_nullIsEmpty() {
    Plan p = plan("queue", "get", List.of(), Map.of("timeout", 0.25));
    assertEquals("poll(long,TimeUnit)[250000000, NANOSECONDS]", call(p));
    assertEquals("job", result(p, "job"));
    assertEquals(PythonError.of(Kind.QUEUE_EMPTY), raised(() -> result(p, null)));
    assertEquals("poll(long,TimeUnit)[0, NANOSECONDS]", call(plan("queue", "get", true, 0)));
  }

  @Test
  void get_nonBlocking_isPoll_nullIsEmpty() {
    Plan p = plan("queue", "get", false);
    assertEquals("poll()[]", call(p));
    assertEquals(PythonError.of(Kind.QUEUE_EMPTY), raised(() -> result(p, null)));
    assertEquals("poll()[]", call(plan("queue", "get_nowait")));
    assertEquals("poll()[]", call(plan("queue", "get", List.of(), Map.of("block", 0))));
  }

  @Test
  void get_badTimeouts_areAsPython() {
    assertEquals(
        "'timeout' must be a non-negative number",
        message(Kind.VALUE_ERROR, () -> plan("queue", "get", true, -0.5)));
    assertEquals(
        "'<' not supported between instances of 'str' and 'int'",
        message(Kind.TYPE_ERROR, () -> plan("queue", "get", true, "1")));
  }

  @Test
  void sizeEmptyFull() {
    assertEquals("size()[]", call(plan("queue", "qsize")));
    assertEquals("isEmpty()[]", call(plan("queue", "empty")));
    Plan full = plan("queue", "full");
    assertEquals("remainingCapacity()[]", call(full));
    assertEquals(true, result(full, 0));
    assertEquals(false, result(full, 3));
  }

  @Test
  void taskDoneAndJoin_onlyOnAJoinableQueue() {
    assertFalse(PythonMethods.exposed("queue").contains("task_done"));
    assertEquals(Kind.ATTRIBUTE_ERROR, raised(() -> plan("queue", "task_done")).kind());
    assertEquals(Kind.ATTRIBUTE_ERROR, raised(() -> plan("queue", "join")).kind());
    assertTrue(
        PythonMethods.exposed("joinable-queue")
            .containsAll(List.of("task_done", "join", "put", "get")));
    Plan done = plan("joinable-queue", "task_done");
    assertEquals("taskDone()[]", call(done));
    assertNull(result(done, null));
    assertEquals(
        "task_done() called too many times",
        message(
            Kind.VALUE_ERROR,
            () -> failure(done, new IllegalStateException("taskDone() called more times"))));
    assertEquals("join()[]", call(plan("joinable-queue", "join")));
  }

  @Test
  void exposed_isWhatAutoProxyMakesMethodsOf() {
    assertEquals(
        List.of("empty", "full", "get", "get_nowait", "put", "put_nowait", "qsize"),
        PythonMethods.exposed("queue"));
  }

  @Test
  void getvalue_isRefused_reprAnsweredLocally() {
    assertEquals(Kind.REMOTE_ERROR, raised(() -> plan("queue", "#GETVALUE")).kind());
    assertEquals("local", call(plan("queue", "__repr__")));
  }
}
