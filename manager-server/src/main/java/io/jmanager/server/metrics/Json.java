package io.jmanager.server.metrics;

import java.util.List;

/** A minimal JSON writer for the dashboard's state: objects, arrays, strings and numbers. */
final class Json {
  private final StringBuilder out = new StringBuilder(4096);
  private boolean first = true;

  Json begin() {
    comma();
    out.append('{');
    first = true;
    return this;
  }

  Json end() {
    out.append('}');
    first = false;
    return this;
  }

  Json array(String name) {
    key(name);
    out.append('[');
    first = true;
    return this;
  }

  Json endArray() {
    out.append(']');
    first = false;
    return this;
  }

  Json object(String name) {
    key(name);
    out.append('{');
    first = true;
    return this;
  }

  Json endObject() {
    return end();
  }

  Json field(String name, String value) {
    key(name);
    string(value);
    return this;
  }

  Json field(String name, long value) {
    key(name);
    out.append(value);
    return this;
  }

  Json field(String name, double value) {
    key(name);
    out.append(Double.isFinite(value) ? String.format(java.util.Locale.ROOT, "%.3f", value) : "null");
    return this;
  }

  void numbers(String name, List<Long> values) {
    key(name);
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ",").append(values.get(i));
    }
    out.append(']');
  }

  private void key(String name) {
    comma();
    string(name);
    out.append(':');
  }

  private void comma() {
    if (!first) {
      out.append(',');
    }
    first = false;
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c)); // safe inside a page, too
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
