package io.jmanager.server.python;

import static io.jmanager.server.python.PythonMethods.remote;

import io.jmanager.client.SharedLock;
import io.jmanager.server.python.PythonArgs.Param;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.Plan;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A shared lock ({@code SharedLock}, daemon types {@code lock} and {@code rlock}) as CPython's
 * {@code AcquirerProxy} uses it, with {@code threading.Lock.acquire(blocking=True, timeout=-1)}'s
 * signature (the proxy sends {@code (blocking,)} or {@code (blocking, timeout)}; {@code with lock:}
 * sends {@code acquire} and {@code release} with no arguments, never {@code __enter__}). One daemon
 * call each:
 *
 * <table>
 *   <caption>Python method, Java method, Python result</caption>
 *   <tr><td>{@code acquire()}</td><td>{@code lock()} (parks)</td><td>True</td></tr>
 *   <tr><td>{@code acquire(timeout=t)}</td><td>{@code tryLock(t, NANOSECONDS)}</td><td>the
 *       verdict</td></tr>
 *   <tr><td>{@code acquire(False)}</td><td>{@code tryLock()}</td><td>the verdict</td></tr>
 *   <tr><td>{@code release()}</td><td>{@code unlock()}</td><td>None; not held by this caller:
 *       {@code RuntimeError} with the daemon's message</td></tr>
 * </table>
 *
 * A timeout of None is -1 (wait forever), as the proxy means it. As in CPython, a timeout with
 * {@code blocking=False} is {@code ValueError("can't specify a timeout for a non-blocking call")},
 * and a negative one other than -1 is {@code ValueError('timeout value must be positive')}. The
 * daemon's owner of a lock is the caller's session and thread, stricter than Python's {@code Lock},
 * which any thread may release: releasing a lock another connection holds is a {@code
 * RuntimeError}, like releasing an unlocked one.
 */
final class LockMethods implements PythonMethods.PythonType {
  private static final Method LOCK = remote(SharedLock.class, "lock");
  private static final Method TRY_LOCK = remote(SharedLock.class, "tryLock");
  private static final Method TRY_LOCK_TIMED =
      remote(SharedLock.class, "tryLock", long.class, TimeUnit.class);
  private static final Method UNLOCK = remote(SharedLock.class, "unlock");

  private static final List<String> EXPOSED = List.of("acquire", "release");

  private final String pythonClass;

  /** The methods of a lock that Python knows as {@code pythonClass} ({@code _thread.lock}). */
  LockMethods(String pythonClass) {
    this.pythonClass = pythonClass;
  }

  @Override
  public String pythonClass() {
    return pythonClass;
  }

  @Override
  public List<String> exposed() {
    return EXPOSED;
  }

  @Override
  public Plan plan(String method, PythonArgs a) {
    return switch (method) {
      case "acquire" -> acquire(a.bind(new Param("blocking", true), new Param("timeout", -1)));
      case "release" -> {
        a.positional(0, 0);
        yield Plan.call(UNLOCK).thenNone();
      }
      case "#GETVALUE" ->
          throw PythonException.of(
              Kind.REMOTE_ERROR, "Unserializable message: a shared lock has no value to copy");
      case "__repr__", "__str__" -> {
        a.positional(0, 0);
        yield Plan.answer("<" + pythonClass + " object on the jmanager daemon>");
      }
      default -> null;
    };
  }

  /** {@code (blocking, timeout)}. */
  private static Plan acquire(Object[] a) {
    boolean blocking = PythonArgs.truthy(a[0]);
    Double timeout = PythonArgs.seconds(a[1]);
    boolean forever = timeout == null || timeout == -1;
    if (!blocking && !forever) {
      throw PythonException.of(Kind.VALUE_ERROR, "can't specify a timeout for a non-blocking call");
    }
    if (!forever && timeout < 0) {
      throw PythonException.of(Kind.VALUE_ERROR, "timeout value must be positive");
    }
    if (!blocking) {
      return Plan.call(TRY_LOCK);
    }
    return forever
        ? Plan.call(LOCK).then(r -> true)
        : Plan.call(TRY_LOCK_TIMED, PythonArgs.nanos(timeout), TimeUnit.NANOSECONDS);
  }
}
