package io.jmanager.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The handshake's HMAC-SHA256 computes exactly what the JDK's does. */
class HmacSha256Test {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void rfc4231Vectors() {
    // test case 1
    assertArrayEquals(hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HmacSha256.mac(hex("0b".repeat(20)), "Hi There".getBytes()));
    // test case 2: a key shorter than the block
    assertArrayEquals(hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HmacSha256.mac("Jefe".getBytes(), "what do ya want for nothing?".getBytes()));
    // test case 6: a key longer than the block is hashed first
    assertArrayEquals(hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HmacSha256.mac(hex("aa".repeat(131)), "Test Using Larger Than Block-Size Key - Hash Key First".getBytes()));
  }

  @Test
  void matchesTheJdk_onRandomKeysAndMessagesOfEveryLengthAroundTheBlocks() throws Exception {
    Random r = new Random(42);
    for (int len = 0; len < 300; len++) {
      byte[] key = new byte[1 + r.nextInt(150)];
      byte[] msg = new byte[len];
      r.nextBytes(key);
      r.nextBytes(msg);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      assertArrayEquals(mac.doFinal(msg), HmacSha256.mac(key, msg), "key " + key.length + ", message " + len);
      assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(msg), HmacSha256.sha256(msg), "sha256 of " + len);
    }
  }

  @Test
  void noncesAreFreshAndProofsVerifyOnlyWithTheSameKey() {
    byte[] a = Handshake.nonce();
    byte[] b = Handshake.nonce();
    assertEquals(Handshake.NONCE_BYTES, a.length);
    assertFalse(java.util.Arrays.equals(a, b));
    byte[] key = "k1".getBytes();
    assertTrue(Handshake.verify(key, a, Handshake.proof(key, a)));
    assertFalse(Handshake.verify("k2".getBytes(), a, Handshake.proof(key, a)));
  }
}
