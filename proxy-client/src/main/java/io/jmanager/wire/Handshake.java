package io.jmanager.wire;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mutual challenge-response both sides run before anything else: each side proves it holds
 * the authkey by answering the other's random nonce with HMAC-SHA256(authkey, nonce), as Python's
 * {@code deliver_challenge}/{@code answer_challenge} do. The key itself never crosses the wire.
 */
public final class Handshake {
  public static final int PROTOCOL_VERSION = 2;
  public static final int NONCE_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshake() {}

  public static byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  public static byte[] proof(byte[] authkey, byte[] nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(authkey, "HmacSHA256"));
      return mac.doFinal(nonce);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Checks {@code proof} in constant time. */
  public static boolean verify(byte[] authkey, byte[] nonce, byte[] proof) {
    return nonce != null
        && nonce.length == NONCE_BYTES
        && proof != null
        && MessageDigest.isEqual(proof(authkey, nonce), proof);
  }
}
