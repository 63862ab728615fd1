package io.jmanager.server.python;

import static io.jmanager.server.python.PythonMethods.remote;

import io.jmanager.client.SharedValue;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.Plan;
import java.lang.reflect.Method;
import java.util.List;

/**
 * A shared value ({@code SharedValue}, daemon type {@code value}) as CPython's {@code ValueProxy}
 * uses it: {@code get()} is {@code get()}, {@code set(v)} is {@code set(v)} (None allowed: the
 * daemon's value may be null), and {@code v.value} is one of them. {@code repr(v)} is {@code
 * Value(<repr of the value>)}, from {@code get()}; CPython's also shows the typecode, which a
 * shared value has none of.
 */
final class ValueMethods implements PythonMethods.PythonType {
  private static final Method GET = remote(SharedValue.class, "get");
  private static final Method SET = remote(SharedValue.class, "set", Object.class);

  private static final List<String> EXPOSED = List.of("get", "set");

  @Override
  public String pythonClass() {
    return "multiprocessing.managers.Value";
  }

  @Override
  public List<String> exposed() {
    return EXPOSED;
  }

  @Override
  public Plan plan(String method, PythonArgs a) {
    return switch (method) {
      case "get" -> none(a, Plan.call(GET));
      case "set" -> Plan.call(SET, a.bind(PythonArgs.Param.required("value"))[0]).thenNone();
      case "#GETVALUE" ->
          throw PythonException.of(
              Kind.REMOTE_ERROR,
              "Unserializable message: a shared value is no Value object; read it with get()");
      case "__repr__", "__str__" ->
          none(a, Plan.call(GET).then(v -> "Value(" + PythonRepr.repr(v) + ")"));
      default -> null;
    };
  }

  private static Plan none(PythonArgs a, Plan plan) {
    a.positional(0, 0);
    return plan;
  }
}
