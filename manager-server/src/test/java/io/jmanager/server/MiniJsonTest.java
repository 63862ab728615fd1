package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {
  @Test
  void quote_escapesQuotesBackslashesControlsAndNonAscii() {
    assertEquals("\"a\\\"b\\\\c\\nd\\te\\r\\u0001\\u00e9\\ud83d\\ude00/\"",
        MiniJson.quote("a\"b\\c\nd\te\r\u0001\u00e9\ud83d\ude00/"));
  }

  @Test
  void parse_readsEveryEscape() {
    assertEquals("a\"b\\c/\b\f\n\r\t\u00e9\ud83d\ude00",
        MiniJson.parse("\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
    assertEquals("caf\u00e9 \u2603", MiniJson.parse("\"caf\u00e9 \u2603\""));
  }

  @Test
  void parse_roundTripsWhatQuoteWrites() {
    String s = "\u0000\u001f\"\\\u007f\u0080\ud800 lone surrogate";
    assertEquals(s, MiniJson.parse(MiniJson.quote(s)));
  }

  @Test
  void parse_readsObjectsArraysNumbersAndLiterals() {
    Object value = MiniJson.parse(
        " {\"id\": 7, \"result\": {\"value\": [1.5e3, -2, true, false, null, {}, []]}} ");
    assertEquals("7", MiniJson.member(value, "id").toString());
    assertEquals(7L, ((MiniJson.JsonNumber) MiniJson.member(value, "id")).asLong());
    List<?> list = (List<?>) MiniJson.member(MiniJson.member(value, "result"), "value");
    assertEquals(Arrays.asList(new MiniJson.JsonNumber("1.5e3"), new MiniJson.JsonNumber("-2"),
        true, false, null, Map.of(), List.of()), list);
  }

  @Test
  void parse_rejectsBadInputNamingTheOffset() {
    for (String bad : List.of("", "{", "[1,]", "\"open", "\"\\x\"", "\"\\u12\"", "01", "tru",
        "{\"a\" 1}", "1 2")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> MiniJson.parse(bad), bad);
      assertEquals(true, e.getMessage().contains("at offset"), e.getMessage());
    }
  }
}
