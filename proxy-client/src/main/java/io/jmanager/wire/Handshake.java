package io.jmanager.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The mutual challenge-response both sides run before anything else: each side proves it holds
 * the authkey by answering the other's random nonce with HMAC-SHA256(authkey, nonce), as Python's
 * {@code deliver_challenge}/{@code answer_challenge} do. The key itself never crosses the wire.
 *
 * <p>Nonces come from the operating system's generator ({@code /dev/urandom}) where there is one,
 * else from {@link SecureRandom}; HMAC is {@link HmacSha256}. Neither touches the JCA provider
 * framework, whose first use would cost a starting worker JVM about a hundred milliseconds.
 */
public final class Handshake {
  /**
   * 3: a client answers every daemon {@code Ping} with a {@code Pong}; the daemon keeps the items a
   * queue handed over until then, and would hand a silent older client's items out twice.
   */
  public static final int PROTOCOL_VERSION = 3;

  /** The length of a challenge nonce, in bytes; a challenge of another length is refused. */
  public static final int NONCE_BYTES = 32;
  private static final Path URANDOM = Path.of("/dev/urandom");

  private Handshake() {}

  /** {@return a new challenge: {@link #NONCE_BYTES} unpredictable bytes} */
  public static byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    if (Files.isReadable(URANDOM)) {
      try (InputStream in = Files.newInputStream(URANDOM)) {
        if (in.readNBytes(nonce, 0, NONCE_BYTES) == NONCE_BYTES) {
          return nonce;
        }
      } catch (IOException e) {
        // fall back to the JDK's generator below
      }
    }
    Fallback.RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** Created only where there is no /dev/urandom to read. */
  private static final class Fallback {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  /**
   * {@return HMAC-SHA256({@code authkey}, {@code nonce}): the answer to a challenge}
   *
   * @param authkey the shared key
   * @param nonce the other side's challenge
   */
  public static byte[] proof(byte[] authkey, byte[] nonce) {
    return HmacSha256.mac(authkey, nonce);
  }

  /**
   * Checks the other side's answer to our challenge, in constant time.
   *
   * @param authkey the shared key
   * @param nonce the challenge this side sent
   * @param proof the other side's answer
   * @return whether {@code proof} is {@link #proof(byte[], byte[])} of them; false for a null or
   *     wrong-length {@code nonce} or a null {@code proof}
   */
  public static boolean verify(byte[] authkey, byte[] nonce, byte[] proof) {
    return nonce != null
        && nonce.length == NONCE_BYTES
        && proof != null
        && MessageDigest.isEqual(proof(authkey, nonce), proof);
  }
}
