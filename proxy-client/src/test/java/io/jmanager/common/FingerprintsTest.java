package io.jmanager.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Fingerprints are printed as openssl prints them and read back in any of the usual spellings. */
class FingerprintsTest {
  private static final byte[] DIGEST = HexFormat.of().parseHex("3fa1" + "00".repeat(28) + "ab9c");

  @Test
  void format_isUpperCaseHexPairsJoinedByColons() {
    String f = Fingerprints.format(DIGEST);
    assertEquals(95, f.length());
    assertTrue(f.startsWith("3F:A1:00:") && f.endsWith(":AB:9C"), f);
  }

  @Test
  void parse_acceptsColonsSpacesAndEitherCase() {
    String f = Fingerprints.format(DIGEST);
    assertArrayEquals(DIGEST, Fingerprints.parse(f));
    assertArrayEquals(DIGEST, Fingerprints.parse(f.toLowerCase().replace(":", "")));
    assertArrayEquals(DIGEST, Fingerprints.parse(" " + f.replace(":", " ") + " "));
  }

  @Test
  void parse_refusesWhatIsNotASha256() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse("3F:A1"));
    assertTrue(e.getMessage().contains("64 digits"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse("zz" + "00".repeat(31)));
  }
}
