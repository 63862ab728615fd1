package io.jmanager.server.python;

import static io.jmanager.server.python.PythonMethods.remote;

import io.jmanager.client.JoinableQueue;
import io.jmanager.client.SharedQueue;
import io.jmanager.server.python.PythonArgs.Param;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.Plan;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A shared queue ({@code SharedQueue}, daemon types {@code queue} and {@code joinable-queue}) as
 * CPython's {@code AutoProxy} of a {@code queue.Queue} uses it, with {@code queue.Queue}'s
 * signatures ({@code put(item, block=True, timeout=None)}, {@code get(block=True, timeout=None)},
 * by position or keyword). One daemon call each:
 *
 * <table>
 *   <caption>Python method, Java method, Python result</caption>
 *   <tr><td>{@code put(x)}</td><td>{@code put(x)} (parks while full)</td><td>None</td></tr>
 *   <tr><td>{@code put(x, timeout=t)}</td><td>{@code offer(x, t, NANOSECONDS)}</td><td>false:
 *       {@code queue.Full}</td></tr>
 *   <tr><td>{@code put(x, False)}, {@code put_nowait(x)}</td><td>{@code offer(x)}</td><td>false:
 *       {@code queue.Full}</td></tr>
 *   <tr><td>{@code get()}</td><td>{@code take()} (parks while empty)</td><td>the item</td></tr>
 *   <tr><td>{@code get(timeout=t)}</td><td>{@code poll(t, NANOSECONDS)}</td><td>null: {@code
 *       queue.Empty}</td></tr>
 *   <tr><td>{@code get(False)}, {@code get_nowait()}</td><td>{@code poll()}</td><td>null: {@code
 *       queue.Empty}</td></tr>
 *   <tr><td>{@code qsize()}, {@code empty()}, {@code full()}</td><td>{@code size()}, {@code
 *       isEmpty()}, {@code remainingCapacity() == 0}</td><td>as is</td></tr>
 *   <tr><td>{@code task_done()}, {@code join()} (joinable only)</td><td>{@code taskDone()}, {@code
 *       join()} (parks)</td><td>None; an extra {@code task_done}: {@code ValueError('task_done()
 *       called too many times')}</td></tr>
 * </table>
 *
 * A negative timeout is {@code ValueError("'timeout' must be a non-negative number")}, as in
 * CPython; with {@code block=False} the timeout is ignored, as there. Timeouts are rounded up to
 * the nanosecond. A queue cannot hold None (Java's {@code BlockingQueue} forbids null): putting it
 * is a {@code TypeError} that says so. The non-joinable {@code queue} does not expose {@code
 * task_done} and {@code join}, so its proxy has no such attributes.
 */
final class QueueMethods implements PythonMethods.PythonType {
  private static final Method PUT = remote(SharedQueue.class, "put", Object.class);
  private static final Method OFFER = remote(SharedQueue.class, "offer", Object.class);
  private static final Method OFFER_TIMED =
      remote(SharedQueue.class, "offer", Object.class, long.class, TimeUnit.class);
  private static final Method TAKE = remote(SharedQueue.class, "take");
  private static final Method POLL = remote(SharedQueue.class, "poll");
  private static final Method POLL_TIMED =
      remote(SharedQueue.class, "poll", long.class, TimeUnit.class);
  private static final Method SIZE = remote(SharedQueue.class, "size");
  private static final Method IS_EMPTY = remote(SharedQueue.class, "isEmpty");
  private static final Method REMAINING = remote(SharedQueue.class, "remainingCapacity");
  private static final Method TASK_DONE = remote(JoinableQueue.class, "taskDone");
  private static final Method JOIN = remote(JoinableQueue.class, "join");

  private static final List<String> EXPOSED =
      List.of("empty", "full", "get", "get_nowait", "put", "put_nowait", "qsize");
  private static final List<String> JOINABLE_EXPOSED =
      List.of(
          "empty", "full", "get", "get_nowait", "join", "put", "put_nowait", "qsize", "task_done");

  private final boolean joinable;

  QueueMethods(boolean joinable) {
    this.joinable = joinable;
  }

  @Override
  public String pythonClass() {
    return "queue.Queue";
  }

  @Override
  public List<String> exposed() {
    return joinable ? JOINABLE_EXPOSED : EXPOSED;
  }

  @Override
  public Plan plan(String method, PythonArgs a) {
    return switch (method) {
      case "put" ->
          put(a.bind(Param.required("item"), new Param("block", true), new Param("timeout", null)));
      case "put_nowait" -> put(new Object[] {a.bind(Param.required("item"))[0], false, null});
      case "get" -> get(a.bind(new Param("block", true), new Param("timeout", null)));
      case "get_nowait" -> none(a, get(new Object[] {false, null}));
      case "qsize" -> none(a, Plan.call(SIZE));
      case "empty" -> none(a, Plan.call(IS_EMPTY));
      case "full" -> none(a, Plan.call(REMAINING).then(r -> (Integer) r == 0));
      case "task_done" ->
          none(
              a,
              Plan.call(TASK_DONE)
                  .thenNone()
                  .onFailure(
                      IllegalStateException.class,
                      () -> raise(Kind.VALUE_ERROR, "task_done() called too many times")));
      case "join" -> none(a, Plan.call(JOIN).thenNone());
      case "#GETVALUE" ->
          throw PythonException.of(
              Kind.REMOTE_ERROR,
              "Unserializable message: a shared queue has no value to copy; take its items with"
                  + " get()");
      case "__repr__", "__str__" ->
          none(a, Plan.answer("<queue.Queue object on the jmanager daemon>"));
      default -> null;
    };
  }

  private static Plan none(PythonArgs a, Plan plan) {
    a.positional(0, 0);
    return plan;
  }

  /** {@code (item, block, timeout)}. */
  private static Plan put(Object[] a) {
    Object item = a[0];
    if (item == null) {
      throw PythonArgs.typeError(
          "a shared queue cannot hold None: its daemon side is a Java BlockingQueue,"
              + " which forbids null; put a sentinel instead");
    }
    if (!PythonArgs.truthy(a[1])) {
      return Plan.call(OFFER, item).then(QueueMethods::fullIfFalse);
    }
    Double timeout = timeout(a[2]);
    return timeout == null
        ? Plan.call(PUT, item).thenNone()
        : Plan.call(OFFER_TIMED, item, PythonArgs.nanos(timeout), TimeUnit.NANOSECONDS)
            .then(QueueMethods::fullIfFalse);
  }

  /** {@code (block, timeout)}. */
  private static Plan get(Object[] a) {
    if (!PythonArgs.truthy(a[0])) {
      return Plan.call(POLL).then(QueueMethods::emptyIfNull);
    }
    Double timeout = timeout(a[1]);
    return timeout == null
        ? Plan.call(TAKE)
        : Plan.call(POLL_TIMED, PythonArgs.nanos(timeout), TimeUnit.NANOSECONDS)
            .then(QueueMethods::emptyIfNull);
  }

  private static Double timeout(Object value) {
    Double seconds = PythonArgs.seconds(value);
    if (seconds != null && seconds < 0) {
      throw PythonException.of(Kind.VALUE_ERROR, "'timeout' must be a non-negative number");
    }
    return seconds;
  }

  private static Object fullIfFalse(Object offered) {
    if (!(Boolean) offered) {
      throw PythonException.of(Kind.QUEUE_FULL);
    }
    return null;
  }

  private static Object emptyIfNull(Object item) {
    if (item == null) {
      throw PythonException.of(Kind.QUEUE_EMPTY);
    }
    return item;
  }

  private static Object raise(Kind kind, String message) {
    throw PythonException.of(kind, message);
  }
}
