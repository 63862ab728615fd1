package io.jmanager.server.python;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as pickle uses it for {@code str}: with Python's {@code surrogatepass} error handler, so
 * a lone surrogate (which a Python {@code str}, like a Java {@code String}, may hold) travels as
 * its 3-byte form both ways instead of becoming {@code ?} or U+FFFD. Anything else that is not
 * UTF-8 is refused, as CPython refuses it.
 */
final class Utf8 {
  private Utf8() {}

  static byte[] encode(String s) {
    if (!hasSurrogate(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xF0 | cp >> 18);
        out.write(0x80 | cp >> 12 & 0x3F);
        out.write(0x80 | cp >> 6 & 0x3F);
        out.write(0x80 | cp & 0x3F);
      } else if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xC0 | c >> 6);
        out.write(0x80 | c & 0x3F);
      } else { // a lone surrogate too, as surrogatepass writes it
        out.write(0xE0 | c >> 12);
        out.write(0x80 | c >> 6 & 0x3F);
        out.write(0x80 | c & 0x3F);
      }
    }
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not UTF-8 (surrogates allowed)
   */
  static String decode(byte[] b) {
    if (isAscii(b)) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    StringBuilder s = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int b0 = b[i] & 0xFF;
      if (b0 < 0x80) {
        s.append((char) b0);
        i++;
        continue;
      }
      int n; // continuation bytes
      int min; // smallest code point of that length (no overlong forms)
      if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        throw invalid(i);
      }
      if (i + n >= b.length) {
        throw invalid(i);
      }
      int cp = b0 & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        int bk = b[i + k] & 0xFF;
        if ((bk & 0xC0) != 0x80) {
          throw invalid(i);
        }
        cp = cp << 6 | bk & 0x3F;
      }
      if (cp < min || cp > Character.MAX_CODE_POINT) {
        throw invalid(i);
      }
      s.appendCodePoint(cp);
      i += n + 1;
    }
    return s.toString();
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException invalid(int at) {
    return new IllegalArgumentException("invalid UTF-8 at byte " + at);
  }
}
