package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Python's {@code <} as a {@link Comparator}, so that a shared list sorts on the daemon, in one
 * atomic {@code sort(Comparator)} call, as {@code list.sort()} orders the values the gateway
 * decodes: numbers of any kind by value ({@code 1 < 1.5 < 2**70}, {@code True == 1}), str by code
 * point, bytes by unsigned byte, lists and tuples lexicographically. Values Python cannot order
 * against each other ({@code 'a' < 1}, {@code None}, dicts) throw {@link ClassCastException} with
 * Python's message, which the gateway answers as that {@code TypeError}. NaN sorts above every
 * number (Python leaves a list with NaN in an unspecified order). {@link #DESCENDING} is {@code
 * reverse=True}: each comparison reversed, equal elements kept in their order, as Python does.
 * Stateless; an enum so that it travels to a daemon by name.
 */
enum PythonOrder implements Comparator<Object> {
  ASCENDING,
  DESCENDING;

  @Override
  public int compare(Object a, Object b) {
    int c = order(a, b);
    return this == ASCENDING ? c : -c;
  }

  static int order(Object a, Object b) {
    if (isNumber(a) && isNumber(b)) {
      return numbers(a, b);
    }
    if (a instanceof String x && b instanceof String y) {
      return codePoints(x, y);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    if (a instanceof List<?> x
        && b instanceof List<?> y
        && (x instanceof PythonTuple) == (y instanceof PythonTuple)) {
      return sequences(x, y);
    }
    throw new ClassCastException(
        "'<' not supported between instances of '"
            + PythonRepr.typeName(a)
            + "' and '"
            + PythonRepr.typeName(b)
            + "'"
            + (a instanceof Set && b instanceof Set ? " (a shared list does not sort sets)" : ""));
  }

  private static boolean isNumber(Object o) {
    return o instanceof Boolean || PythonRepr.isInt(o) || o instanceof Double || o instanceof Float;
  }

  private static int numbers(Object a, Object b) {
    boolean af = a instanceof Double || a instanceof Float;
    boolean bf = b instanceof Double || b instanceof Float;
    if (!af && !bf) {
      return integral(a).compareTo(integral(b));
    }
    if (af && bf) {
      return floats(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    return af
        ? mixed(((Number) a).doubleValue(), integral(b))
        : -mixed(((Number) b).doubleValue(), integral(a));
  }

  private static BigInteger integral(Object o) {
    if (o instanceof BigInteger big) {
      return big;
    }
    return BigInteger.valueOf(
        o instanceof Boolean bool ? (bool ? 1 : 0) : ((Number) o).longValue());
  }

  /**
   * As {@code <} on floats, with NaN above everything (and equal to itself) to stay a total order.
   */
  private static int floats(double x, double y) {
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
    }
    return x < y ? -1 : x > y ? 1 : 0; // -0.0 == 0.0, as in Python
  }

  /** A float against an int, exactly (Python compares {@code 2**53 + 1 > 2.0**53}). */
  private static int mixed(double x, BigInteger y) {
    if (Double.isNaN(x)) {
      return 1;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? 1 : -1;
    }
    return new BigDecimal(x).compareTo(new BigDecimal(y));
  }

  private static int codePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int cx = x.codePointAt(i);
      int cy = y.codePointAt(j);
      if (cx != cy) {
        return Integer.compare(cx, cy);
      }
      i += Character.charCount(cx);
      j += Character.charCount(cy);
    }
    return Boolean.compare(i < x.length(), j < y.length());
  }

  /**
   * Lexicographic, as Python: the first pair that is not equal decides, else the shorter is less.
   */
  private static int sequences(List<?> x, List<?> y) {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      Object a = x.get(i);
      Object b = y.get(i);
      if (!equal(a, b)) {
        return order(a, b);
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  private static boolean equal(Object a, Object b) {
    if (isNumber(a) && isNumber(b)) {
      return numbers(a, b) == 0;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return Objects.equals(a, b);
  }
}
