package io.jmanager.server.python;

import io.jmanager.server.python.PythonError.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One Python call's arguments, bound to a method's parameters as CPython binds them: the
 * positional-only parameters of a builtin ({@code dict.get(key, default, /)}), the parameters of a
 * {@code def} ({@code Queue.put(item, block=True, timeout=None)}, by position or keyword), and
 * keyword-only ones ({@code list.sort(*, key=None, reverse=False)}). A call that does not fit is a
 * {@code TypeError}, as in Python. Also Python's conversions of an argument: truth, {@code int},
 * seconds. Not thread-safe (one call's, used by one thread).
 */
final class PythonArgs {
  /**
   * An optional positional-only parameter that was not passed (a builtin has no default for it).
   */
  static final Object ABSENT =
      new Object() {
        @Override
        public String toString() {
          return "<absent>";
        }
      };

  /** A parameter of a {@code def}: its name, and its default ({@link #ABSENT}: required). */
  record Param(String name, Object fallback) {
    static Param required(String name) {
      return new Param(name, ABSENT);
    }
  }

  private final String function;
  private final List<Object> args;
  private final Map<String, Object> kwds;

  /** The arguments of a call of {@code function} (its name in messages: {@code Queue.put}). */
  PythonArgs(String function, List<Object> args, Map<String, Object> kwds) {
    this.function = function;
    this.args = args == null ? List.of() : args;
    this.kwds = kwds == null ? Map.of() : kwds;
  }

  /**
   * Positional-only parameters, {@code min} to {@code max} of them; those not passed are ABSENT.
   */
  Object[] positional(int min, int max) {
    if (!kwds.isEmpty()) {
      throw typeError(function + "() takes no keyword arguments");
    }
    if (args.size() < min || args.size() > max) {
      String expected =
          max == 0
              ? "no arguments"
              : min == max
                  ? "exactly " + arguments(min)
                  : args.size() < min ? "at least " + arguments(min) : "at most " + arguments(max);
      throw typeError(function + "() takes " + expected + " (" + args.size() + " given)");
    }
    Object[] out = new Object[max];
    for (int i = 0; i < max; i++) {
      out[i] = i < args.size() ? args.get(i) : ABSENT;
    }
    return out;
  }

  private static String arguments(int n) {
    return n + (n == 1 ? " argument" : " arguments");
  }

  /** The parameters of a {@code def}, by position or by keyword, defaults filling the rest. */
  Object[] bind(Param... params) {
    if (args.size() > params.length) {
      throw typeError(
          function
              + "() takes at most "
              + arguments(params.length)
              + " ("
              + args.size()
              + " given)");
    }
    return byKeyword(params, args.size());
  }

  /** Keyword-only parameters: no positional argument is allowed. */
  Object[] keywordOnly(Param... params) {
    if (!args.isEmpty()) {
      throw typeError(function + "() takes no positional arguments");
    }
    return byKeyword(params, 0);
  }

  /** The positional arguments as passed (for a method binding its own, as {@code dict.update}). */
  List<Object> args() {
    return args;
  }

  /** The keyword arguments as passed. */
  Map<String, Object> kwds() {
    return kwds;
  }

  private Object[] byKeyword(Param[] params, int positional) {
    Object[] out = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      out[i] = i < positional ? args.get(i) : params[i].fallback();
    }
    int matched = 0;
    for (int i = 0; i < params.length; i++) {
      if (kwds.containsKey(params[i].name())) {
        if (i < positional) {
          throw typeError(
              function + "() got multiple values for argument '" + params[i].name() + "'");
        }
        out[i] = kwds.get(params[i].name());
        matched++;
      }
    }
    if (matched < kwds.size()) {
      String unknown =
          kwds.keySet().stream()
              .filter(k -> Arrays.stream(params).noneMatch(p -> p.name().equals(k)))
              .findFirst()
              .orElseThrow();
      throw typeError(function + "() got an unexpected keyword argument '" + unknown + "'");
    }
    for (int i = 0; i < params.length; i++) {
      if (out[i] == ABSENT) {
        throw typeError(function + "() missing required argument '" + params[i].name() + "'");
      }
    }
    return out;
  }

  /** Python's truth of {@code value}: False, None, zero and empty containers are false. */
  static boolean truthy(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return value instanceof BigInteger big ? big.signum() != 0 : n.doubleValue() != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof byte[] bytes) {
      return bytes.length > 0;
    }
    if (value instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    return !(value instanceof Map<?, ?> m) || !m.isEmpty();
  }

  /**
   * {@code value} as a Python int ({@code bool} included), saturated to the range of a long (a
   * larger one is out of range of any index or count here); null if it is no int.
   */
  static Long integer(Object value) {
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64
          ? big.longValue()
          : big.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    if (value instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    return PythonRepr.isInt(value) ? ((Number) value).longValue() : null;
  }

  /**
   * {@code value} as an int, or {@code TypeError: 'str' object cannot be interpreted as an
   * integer}.
   */
  static long index(Object value) {
    Long i = integer(value);
    if (i == null) {
      throw typeError(
          "'" + PythonRepr.typeName(value) + "' object cannot be interpreted as an integer");
    }
    return i;
  }

  /** A timeout in seconds (a Python int or float), or null for None; a TypeError otherwise. */
  static Double seconds(Object value) {
    if (value == null) {
      return null;
    }
    Long i = integer(value);
    if (i != null) {
      return i.doubleValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        throw PythonException.of(Kind.VALUE_ERROR, "Invalid value NaN (not a number)");
      }
      return d;
    }
    throw typeError(
        "'<' not supported between instances of '" + PythonRepr.typeName(value) + "' and 'int'");
  }

  /**
   * Non-negative {@code seconds} in nanoseconds, rounded up (as CPython rounds timeouts),
   * saturated.
   */
  static long nanos(double seconds) {
    double nanos = Math.ceil(seconds * 1e9);
    return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
  }

  /**
   * The elements of a Python iterable: a list, tuple, set, dict (its keys), str (its characters) or
   * bytes.
   */
  static List<Object> iterate(Object iterable) {
    if (iterable instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (iterable instanceof Map<?, ?> m) {
      return new ArrayList<>(m.keySet());
    }
    List<Object> out = new ArrayList<>();
    if (iterable instanceof String s) {
      s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
    } else if (iterable instanceof byte[] bytes) {
      for (byte b : bytes) {
        out.add(b & 0xff);
      }
    } else {
      throw typeError("'" + PythonRepr.typeName(iterable) + "' object is not iterable");
    }
    return out;
  }

  static PythonException typeError(String message) {
    return PythonException.of(Kind.TYPE_ERROR, message);
  }
}
