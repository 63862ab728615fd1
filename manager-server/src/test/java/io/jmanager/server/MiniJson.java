package io.jmanager.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON that {@link HeadlessChromium} speaks with the Chrome DevTools Protocol: quoting a
 * string for a request, and reading a reply into plain Java values. Stateless to its callers: the
 * static methods are pure and thread-safe.
 *
 * <p>{@link #parse} gives objects as {@code Map<String, Object>} (key order kept), arrays as {@code
 * List<Object>}, strings as {@code String}, numbers as {@link JsonNumber} (their JSON text kept),
 * {@code true}/{@code false} as {@code Boolean} and {@code null} as {@code null}.
 */
final class MiniJson {
  private final String text;
  private int at;

  private MiniJson(String text) {
    this.text = text;
  }

  /** A JSON number, kept as the text it was written with. */
  record JsonNumber(String text) {
    long asLong() {
      return Long.parseLong(text);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * {@code s} as a JSON string literal. Everything outside printable ASCII is written as {@code
   * \}{@code uXXXX}, so the result is ASCII and even a lone surrogate survives the trip.
   */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** The value {@code json} holds; the {@link IllegalArgumentException} names where it is bad. */
  static Object parse(String json) {
    MiniJson p = new MiniJson(json);
    Object value = p.value();
    p.skipSpace();
    if (p.at != json.length()) {
      throw p.error("trailing text");
    }
    return value;
  }

  /** The member {@code key} of {@code object} if it is a JSON object, else {@code null}. */
  static Object member(Object object, String key) {
    return object instanceof Map<?, ?> map ? map.get(key) : null;
  }

  private Object value() {
    skipSpace();
    if (at >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    at++;
    if (peekAfterSpace() == '}') {
      at++;
      return map;
    }
    do {
      if (peekAfterSpace() != '"') {
        throw error("expected a member name");
      }
      String key = string();
      expect(':');
      map.put(key, value());
    } while (commaOr('}'));
    return map;
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    at++;
    if (peekAfterSpace() == ']') {
      at++;
      return list;
    }
    do {
      list.add(value());
    } while (commaOr(']'));
    return list;
  }

  private String string() {
    StringBuilder out = new StringBuilder();
    at++;
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  /** The four hex digits of a {@code \}{@code u} escape; a surrogate pair is two in a row. */
  private char hex4() {
    if (at + 4 > text.length()) {
      throw error("short \\u escape");
    }
    try {
      char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
      at += 4;
      return c;
    } catch (NumberFormatException e) {
      throw error("bad \\u escape");
    }
  }

  private JsonNumber number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String n = text.substring(start, at);
    if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw error(n.isEmpty() ? "unexpected character" : "bad number " + n);
    }
    return new JsonNumber(n);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("expected " + word);
    }
    at += word.length();
    return value;
  }

  private boolean commaOr(char close) {
    char c = peekAfterSpace();
    at++;
    if (c == ',') {
      return true;
    }
    if (c != close) {
      at--;
      throw error("expected ',' or '" + close + "'");
    }
    return false;
  }

  private void expect(char c) {
    if (peekAfterSpace() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private char peekAfterSpace() {
    skipSpace();
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void skipSpace() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    String near = text.substring(Math.max(0, at - 20), Math.min(text.length(), at + 20));
    return new IllegalArgumentException(what + " at offset " + at + " of JSON, near: " + near);
  }
}
