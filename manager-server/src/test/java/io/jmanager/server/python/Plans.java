package io.jmanager.server.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.Plan;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/** Making, reading and running plans in tests. */
final class Plans {
  private Plans() {}

  /** The plan for {@code typeid.method(*args)}. */
  static Plan plan(String typeid, String method, Object... args) {
    return PythonMethods.plan(typeid, method, Arrays.asList(args), Map.of());
  }

  /** The plan for {@code typeid.method(*args, **kwds)}. */
  static Plan plan(String typeid, String method, List<Object> args, Map<String, Object> kwds) {
    return PythonMethods.plan(typeid, method, args, kwds);
  }

  /** {@code get(Object)[a]}: the plan's call as a test reads it; {@code local} if it makes none. */
  static String call(Plan p) {
    return p.isLocal() ? "local" : signature(p.method()) + Arrays.toString(p.args());
  }

  static String signature(Method m) {
    return m.getName()
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  /**
   * The Python value for the Java result {@code r}; fails if the plan continues with another call.
   */
  static Object result(Plan p, Object r) {
    return p.result().apply(r);
  }

  /** The Python value or next plan for the daemon failure {@code t}. */
  static Object failure(Plan p, Throwable t) {
    return p.failure().apply(t);
  }

  /** The Python exception {@code e} raises. */
  static PythonError raised(Executable e) {
    return assertThrows(PythonException.class, e).error();
  }

  static void assertRaises(Kind kind, Object arg, Executable e) {
    assertEquals(PythonError.of(kind, arg), raised(e));
  }

  /** The message of the Python exception of {@code kind} that {@code e} raises. */
  static String message(Kind kind, Executable e) {
    PythonError error = raised(e);
    assertEquals(kind, error.kind(), error.toString());
    return (String) error.args().get(0);
  }

  /**
   * Runs {@code plan} against {@code target} as the gateway does: each call reflectively (on a
   * proxy, or on a daemon-side object through its method of the same name), its result or failure
   * to the plan's continuation, until a Python value comes out. A Python exception propagates.
   */
  static Object run(Plan plan, Object target) {
    Object next = plan;
    while (next instanceof Plan p) {
      if (p.isLocal()) {
        next = p.result().apply(null);
        continue;
      }
      Object r;
      try {
        r = invoke(p, target);
      } catch (Throwable t) {
        next = p.failure().apply(t);
        continue;
      }
      next = p.result().apply(r);
    }
    return next;
  }

  private static Object invoke(Plan p, Object target) throws Throwable {
    Method m = p.method();
    if (!m.getDeclaringClass().isInstance(target)) {
      m = target.getClass().getMethod(m.getName(), m.getParameterTypes());
    }
    try {
      return m.invoke(target, p.args());
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
