package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DictObjectTest {
  private final DictObject dict = new DictObject();

  @Test
  void increment_absentKey_startsALong() {
    assertEquals(5, dict.increment("n", 5));
    assertEquals(5L, dict.get("n"));
    assertEquals(7, dict.increment("n", 2));
    assertEquals(7L, dict.get("n"));
  }

  @Test
  void increment_integer_staysAnInteger() {
    dict.put("n", 1);
    assertEquals(6, dict.increment("n", 5));
    assertEquals(Integer.valueOf(6), dict.get("n"));
    assertEquals(Integer.MIN_VALUE, dict.increment("n", (long) Integer.MIN_VALUE - 6));
    assertEquals(Integer.valueOf(Integer.MIN_VALUE), dict.get("n"));
  }

  @Test
  void increment_shortAndByte_stayWhatTheyAre() {
    dict.put("s", (short) 1);
    dict.put("b", (byte) 1);
    assertEquals(3, dict.increment("s", 2));
    assertEquals(-1, dict.increment("b", -2));
    assertEquals(Short.valueOf((short) 3), dict.get("s"));
    assertEquals(Byte.valueOf((byte) -1), dict.get("b"));
  }

  @Test
  void increment_integerOverflow_throwsNamingKeyAndValuesAndChangesNothing() {
    dict.put("n", Integer.MAX_VALUE);
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> dict.increment("n", 1));
    assertMentions(e, "'n'", "Integer", String.valueOf(Integer.MAX_VALUE), "by 1");
    assertEquals(Integer.valueOf(Integer.MAX_VALUE), dict.get("n"));
  }

  @Test
  void increment_deltaBeyondIntRange_overflowsAnInteger() {
    dict.put("n", 0);
    assertThrows(ArithmeticException.class, () -> dict.increment("n", 1L << 32));
    assertEquals(Integer.valueOf(0), dict.get("n"));
  }

  @Test
  void increment_longOverflow_throwsAndChangesNothing() {
    dict.put("n", Long.MIN_VALUE);
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> dict.increment("n", -1));
    assertMentions(e, "'n'", "Long", String.valueOf(Long.MIN_VALUE), "by -1");
    assertEquals(Long.MIN_VALUE, dict.get("n"));
  }

  @Test
  void increment_shortAndByteOverflow_throwAndChangeNothing() {
    dict.put("s", Short.MAX_VALUE);
    dict.put("b", Byte.MIN_VALUE);
    assertThrows(ArithmeticException.class, () -> dict.increment("s", 1));
    assertThrows(ArithmeticException.class, () -> dict.increment("b", -1));
    assertEquals(Short.MAX_VALUE, dict.get("s"));
    assertEquals(Byte.MIN_VALUE, dict.get("b"));
  }

  @Test
  void increment_nonIntegralValue_isIllegalArgumentAndChangesNothing() {
    dict.put("d", 1.5);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> dict.increment("d", 1));
    assertMentions(e, "'d'", "java.lang.Double");
    assertEquals(1.5, dict.get("d"));
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage() + " should mention " + part);
    }
  }
}
