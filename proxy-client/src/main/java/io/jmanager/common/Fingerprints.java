package io.jmanager.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 fingerprints of certificates, as the daemon prints them and clients pin them: the digest
 * of the certificate's DER encoding, written as 32 upper-case hex pairs joined by colons (the form
 * {@code openssl x509 -fingerprint -sha256} and {@code keytool} print). Parsing accepts any case,
 * with or without colons or spaces.
 */
public final class Fingerprints {
  /** The environment variable a client reads its pinned fingerprint from. */
  public static final String ENV = "JMANAGER_TLS_FINGERPRINT";
  /** The environment variable a client reads the PEM file of its trusted CA certificates from. */
  public static final String CA_ENV = "JMANAGER_TLS_CA";

  private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();

  private Fingerprints() {}

  /**
   * {@return the SHA-256 digest of {@code cert}'s DER encoding: 32 bytes}
   *
   * @param cert the certificate
   * @throws IllegalStateException if the certificate cannot be encoded
   */
  public static byte[] sha256(X509Certificate cert) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
    }
  }

  /**
   * {@return {@code sha256} as the daemon prints it: {@code AB:CD:...}, upper-case hex pairs joined
   * by colons}
   *
   * @param sha256 a digest from {@link #sha256(X509Certificate)}
   */
  public static String format(byte[] sha256) {
    return COLONS.formatHex(sha256);
  }

  /**
   * {@return the 32 bytes {@code text} spells in hex, with or without colons or spaces, in any
   * case}
   *
   * @param text a fingerprint as printed by the daemon, {@code openssl} or {@code keytool}
   * @throws IllegalArgumentException if it is not 64 hex digits
   */
  public static byte[] parse(String text) {
    String hex = text.replace(":", "").replace(" ", "").trim().toLowerCase(Locale.ROOT);
    if (hex.length() != 64) {
      throw new IllegalArgumentException(
          "a TLS fingerprint is the certificate's SHA-256 in hex (64 digits, colons optional); got '" + text + "'");
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a TLS fingerprint must be hex digits; got '" + text + "'", e);
    }
  }
}
