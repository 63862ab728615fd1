package io.jmanager.server.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonHandshake.Outcome;
import io.jmanager.server.python.PythonHandshake.Step;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The handshake against vectors computed with CPython's {@code hmac} module:
 *
 * <pre>
 * key = b'secret-key'
 * m = b'{sha256}' + bytes(range(40))          # our challenge, after #CHALLENGE#
 * hmac.new(key, m, 'sha256'), 'md5', 'sha384', 'sha3_256', 'sha3_384'
 * c = b'{sha256}' + bytes(range(100, 140))    # a 3.12+ client's challenge
 * l = bytes(range(200, 220))                  # a 3.8-3.11 client's challenge
 * hmac.new(key, c, 'sha256'); hmac.new(key, l, 'md5')
 * </pre>
 */
class PythonHandshakeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY = ascii("secret-key");
  private static final String SHA256_OF_OURS =
      "39c4ff3268da80f68b36eb46879c33a2dedb3ac28faebb6a0279ac6a912624d9";
  private static final String MD5_OF_OURS = "6ae2b853ecc155b89b53c8a04f6fac88";
  private static final String SHA384_OF_OURS = "f3325538adb08b4f460e5c308046af10c608e825aee489eb"
      + "94e939d615db0c80d7aafa5c850c1b164c36e29f05d62963";
  private static final String SHA3_256_OF_OURS =
      "6137bac43b67dcd99b16264fee9d24ff42b8570236a228912d5a70d93960e0ba";
  private static final String SHA3_384_OF_OURS = "c9d996539deb016ea8eb30bf479076b0b1052d233095dea6"
      + "b74d4a44e0b8a54aafadb85fc8e95136ef6db12eb9fff217";
  private static final String SHA256_OF_MODERN_CLIENT =
      "c2cbbd65777205234b401e789b29059694234c0ce860d0bbef591e8b484b2a1a";
  private static final String MD5_OF_LEGACY_CLIENT = "bf0398e932d6b4c13abcfb80b0d3805b";

  @Test
  void challenge_isPrefixedSha256AndFortyBytes() {
    byte[] c = started().challenge;
    assertArrayEquals(concat(ascii("#CHALLENGE#{sha256}"), range(0, 40)), c);
  }

  @Test
  void randomChallenges_differ() {
    byte[] a = new PythonHandshake(KEY).challenge();
    byte[] b = new PythonHandshake(KEY).challenge();
    assertEquals(11 + 8 + 40, a.length);
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void modernResponse_sha256Prefixed_isWelcomed() {
    Step s = started().handshake.receive(concat(ascii("{sha256}"), HEX.parseHex(SHA256_OF_OURS)));
    assertContinuesWith(PythonHandshake.WELCOME, s);
  }

  @Test
  void legacyResponse_rawMd5OverTheWholePrefixedMessage_isWelcomed() {
    Step s = started().handshake.receive(HEX.parseHex(MD5_OF_OURS));
    assertContinuesWith(PythonHandshake.WELCOME, s);
  }

  @Test
  void everyDigestCpythonAllows_isWelcomed() {
    String[][] responses = {
        {"md5", MD5_OF_OURS}, {"sha384", SHA384_OF_OURS}, {"sha3_256", SHA3_256_OF_OURS},
        {"sha3_384", SHA3_384_OF_OURS}};
    for (String[] r : responses) {
      Step s = started().handshake.receive(concat(ascii("{" + r[0] + "}"), HEX.parseHex(r[1])));
      assertContinuesWith(PythonHandshake.WELCOME, s);
    }
  }

  @Test
  void wrongDigest_isAnsweredFailure() {
    byte[] wrong = HEX.parseHex(SHA256_OF_OURS);
    wrong[0] ^= 1;
    Step s = started().handshake.receive(concat(ascii("{sha256}"), wrong));
    assertFailed(PythonHandshake.FAILURE, "digest received was wrong", s);
  }

  @Test
  void wrongLegacyDigest_isAnsweredFailure() {
    byte[] wrong = HEX.parseHex(MD5_OF_OURS);
    wrong[15] ^= 1;
    assertFailed(PythonHandshake.FAILURE, "digest received was wrong",
        started().handshake.receive(wrong));
  }

  @Test
  void digestOfTheWrongLength_isAnsweredFailure() {
    Step s = started().handshake.receive(concat(ascii("{sha256}"), HEX.parseHex(MD5_OF_OURS)));
    assertFailed(PythonHandshake.FAILURE, "expected 'sha256' of length 32 got 16", s);
  }

  @Test
  void unsupportedDigest_isAnsweredFailure() {
    byte[] sha1Sized = new byte[20 + 6];
    System.arraycopy(ascii("{sha1}"), 0, sha1Sized, 0, 6);
    assertFailed(PythonHandshake.FAILURE, "unsupported", started().handshake.receive(sha1Sized));
    assertFailed(PythonHandshake.FAILURE, "unsupported",
        started().handshake.receive(ascii("no prefix and not sixteen bytes")));
  }

  @Test
  void responseOver256Bytes_failsWithNoReply() {
    Step s = started().handshake.receive(new byte[257]);
    assertFailed(null, "bad message length", s);
  }

  @Test
  void modernClientChallenge_isAnsweredWithItsPrefixAndHmacOverAllOfIt() {
    PythonHandshake h = welcomed();
    Step s = h.receive(concat(ascii("#CHALLENGE#{sha256}"), range(100, 140)));
    assertContinuesWith(concat(ascii("{sha256}"), HEX.parseHex(SHA256_OF_MODERN_CLIENT)), s);
  }

  @Test
  void legacyClientChallenge_isAnsweredWithRawMd5() {
    PythonHandshake h = welcomed();
    Step s = h.receive(concat(ascii("#CHALLENGE#"), range(200, 220)));
    assertContinuesWith(HEX.parseHex(MD5_OF_LEGACY_CLIENT), s);
  }

  @Test
  void clientWelcome_authenticates() {
    PythonHandshake h = welcomed();
    h.receive(concat(ascii("#CHALLENGE#"), range(200, 220)));
    Step s = h.receive(PythonHandshake.WELCOME);
    assertEquals(Outcome.AUTHENTICATED, s.outcome());
    assertNull(s.reply());
    assertNull(s.failure());
  }

  @Test
  void clientFailure_failsTheHandshake() {
    PythonHandshake h = welcomed();
    h.receive(concat(ascii("#CHALLENGE#"), range(200, 220)));
    assertFailed(null, "digest sent was rejected", h.receive(PythonHandshake.FAILURE));
  }

  @Test
  void clientMessageThatIsNotAChallenge_fails() {
    assertFailed(null, "expected a challenge", welcomed().receive(ascii("#WELCOME#")));
  }

  @Test
  void clientChallengeShorterThanTwentyBytes_fails() {
    Step s = welcomed().receive(concat(ascii("#CHALLENGE#"), range(0, 19)));
    assertFailed(null, "challenge too short: 19 bytes", s);
  }

  @Test
  void clientChallengeWithAnUnknownDigest_fails() {
    Step s = welcomed().receive(concat(ascii("#CHALLENGE#{sha1}"), range(0, 40)));
    assertFailed(null, "unsupported", s);
  }

  @Test
  void messagesOutOfTurn_areIllegalState() {
    PythonHandshake h = new PythonHandshake(KEY, range(0, 40));
    assertThrows(IllegalStateException.class, () -> h.receive(PythonHandshake.WELCOME));
    h.challenge();
    assertThrows(IllegalStateException.class, h::challenge);
    h.receive(new byte[16]); // wrong: the handshake is over
    assertThrows(IllegalStateException.class, () -> h.receive(PythonHandshake.WELCOME));
  }

  /** A handshake whose challenge went out. */
  private record Started(PythonHandshake handshake, byte[] challenge) {}

  private static Started started() {
    PythonHandshake h = new PythonHandshake(KEY, range(0, 40));
    return new Started(h, h.challenge());
  }

  private static PythonHandshake welcomed() {
    PythonHandshake h = started().handshake;
    assertContinuesWith(PythonHandshake.WELCOME, h.receive(HEX.parseHex(MD5_OF_OURS)));
    return h;
  }

  private static void assertContinuesWith(byte[] reply, Step s) {
    assertEquals(Outcome.CONTINUE, s.outcome(), s.failure());
    assertArrayEquals(reply, s.reply());
  }

  private static void assertFailed(byte[] reply, String failurePart, Step s) {
    assertEquals(Outcome.FAILED, s.outcome());
    assertArrayEquals(reply, s.reply());
    assertTrue(s.failure().contains(failurePart), s.failure());
  }

  private static byte[] range(int from, int to) {
    byte[] b = new byte[to - from];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return PythonHandshake.concat(a, b);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
