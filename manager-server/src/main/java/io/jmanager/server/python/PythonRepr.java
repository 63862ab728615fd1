package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Python's {@code repr()} and type names of the values the gateway's codec decodes, for the
 * messages of Python exceptions ({@code ValueError: 'x' is not in list}) and for a shared dict's or
 * list's {@code __repr__} ({@code print(d)} in the client). A value of another Java type shows as
 * its {@code toString()}. Stateless.
 */
final class PythonRepr {
  private PythonRepr() {}

  /** Python's name for {@code value}'s type: {@code int}, {@code str}, {@code NoneType}, ... */
  static String typeName(Object value) {
    if (value == null) {
      return "NoneType";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (isInt(value)) {
      return "int";
    }
    if (value instanceof Double || value instanceof Float) {
      return "float";
    }
    if (value instanceof String) {
      return "str";
    }
    if (value instanceof byte[]) {
      return "bytes";
    }
    if (value instanceof PythonTuple) {
      return "tuple";
    }
    if (value instanceof List) {
      return "list";
    }
    if (value instanceof Map) {
      return "dict";
    }
    if (value instanceof PythonFrozenSet) {
      return "frozenset";
    }
    return value instanceof Set ? "set" : value.getClass().getSimpleName();
  }

  /** Whether {@code value} is a Python {@code int} (not a {@code bool}). */
  static boolean isInt(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof Short
        || value instanceof Byte;
  }

  static String repr(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Double || value instanceof Float) {
      return floatRepr(((Number) value).doubleValue());
    }
    if (value instanceof String s) {
      return quoted(s);
    }
    if (value instanceof byte[] bytes) {
      return bytesRepr(bytes);
    }
    if (value instanceof PythonTuple t) {
      return t.size() == 1 ? "(" + repr(t.get(0)) + ",)" : joined(t, "(", ")");
    }
    if (value instanceof List<?> list) {
      return joined(list, "[", "]");
    }
    if (value instanceof Map<?, ?> map) {
      StringJoiner j = new StringJoiner(", ", "{", "}");
      map.forEach((k, v) -> j.add(repr(k) + ": " + repr(v)));
      return j.toString();
    }
    if (value instanceof PythonFrozenSet set) {
      return set.isEmpty() ? "frozenset()" : "frozenset(" + joined(set, "{", "}") + ")";
    }
    if (value instanceof Set<?> set) {
      return set.isEmpty() ? "set()" : joined(set, "{", "}");
    }
    return String.valueOf(value);
  }

  private static String joined(Collection<?> items, String open, String close) {
    StringJoiner j = new StringJoiner(", ", open, close);
    items.forEach(item -> j.add(repr(item)));
    return j.toString();
  }

  /** Python's shortest repr: fixed notation for exponents -4 to 15, else {@code 1e+16}. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = b.unscaledValue().toString();
    int exponent = digits.length() - 1 - b.scale();
    if (exponent >= -4 && exponent <= 15) {
      String plain = b.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    int e = Math.abs(exponent);
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
  }

  /** A str repr: single quotes unless the text has one and no double quote. */
  private static String quoted(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(quote);
    s.codePoints().forEach(c -> escape(out, c, quote, false));
    return out.append(quote).toString();
  }

  private static String bytesRepr(byte[] bytes) {
    boolean single = false;
    boolean dbl = false;
    for (byte b : bytes) {
      single |= b == '\'';
      dbl |= b == '"';
    }
    char quote = single && !dbl ? '"' : '\'';
    StringBuilder out = new StringBuilder("b").append(quote);
    for (byte b : bytes) {
      escape(out, b & 0xff, quote, true);
    }
    return out.append(quote).toString();
  }

  private static void escape(StringBuilder out, int c, char quote, boolean bytes) {
    if (c == '\\' || c == quote) {
      out.append('\\').appendCodePoint(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0xa0) || (bytes && c > 0x7f)) {
      out.append(String.format("\\x%02x", c));
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out.append(String.format("\\u%04x", c)); // a lone surrogate
    } else {
      out.appendCodePoint(c);
    }
  }
}
