package io.jmanager.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * X.509 v3 certificates with EC P-256 keys, signed with SHA256withECDSA: the daemon's self-signed
 * certificate, and (for tests) a CA and the certificates it issues. The JDK has no public API to
 * make a certificate; what one needs is a few DER structures, written here by hand and signed with
 * {@link Signature}, then read back (and so checked) by the JDK's {@link CertificateFactory}.
 * Names are a single common name; the extensions are basic constraints and subject alternative
 * names (DNS names and IP addresses).
 */
public final class Certificates {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final int[] ECDSA_WITH_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
  private static final int[] COMMON_NAME = {2, 5, 4, 3};
  private static final int[] BASIC_CONSTRAINTS = {2, 5, 29, 19};
  private static final int[] SUBJECT_ALT_NAME = {2, 5, 29, 17};
  private static final Duration VALIDITY = Duration.ofDays(3650);

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {}

  private Certificates() {}

  /** A new EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  /** A self-signed certificate for {@code commonName}, valid ten years from yesterday, with a new key. */
  public static Issued selfSigned(String commonName, List<String> dnsNames, List<InetAddress> ips, boolean ca) {
    KeyPair keys = newKeyPair();
    return new Issued(issue(commonName, keys, commonName, keys.getPrivate(), ca, dnsNames, ips), keys.getPrivate());
  }

  /** A certificate for {@code subject}'s public key, signed by {@code issuerKey} in {@code issuerName}'s name. */
  public static X509Certificate issue(
      String subjectName, KeyPair subject, String issuerName, PrivateKey issuerKey, boolean ca,
      List<String> dnsNames, List<InetAddress> ips) {
    Instant from = Instant.now().minus(Duration.ofDays(1));
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    serial[0] &= 0x7f; // a positive INTEGER
    byte[] algorithm = seq(oid(ECDSA_WITH_SHA256));
    byte[] tbs = seq(
        tlv(0xa0, tlv(0x02, new byte[] {2})), // v3
        tlv(0x02, new BigInteger(1, serial).toByteArray()),
        algorithm,
        name(issuerName),
        seq(time(from), time(from.plus(VALIDITY))),
        name(subjectName),
        subject.getPublic().getEncoded(), // SubjectPublicKeyInfo, DER already
        tlv(0xa3, seq(basicConstraints(ca), subjectAltNames(dnsNames, ips))));
    try {
      Signature s = Signature.getInstance(SIGNATURE);
      s.initSign(issuerKey);
      s.update(tbs);
      byte[] der = seq(tbs, algorithm, bitString(s.sign()));
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code cert} and {@code key} as PEM ({@code CERTIFICATE}, PKCS#8 {@code PRIVATE KEY}),
   * each file mode 0600 from its creation and moved into place whole.
   */
  public static void writePem(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
    try {
      writeOwnerOnly(certFile, pem("CERTIFICATE", cert.getEncoded()));
      writeOwnerOnly(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
    }
  }

  /** {@code -----BEGIN type-----}, the base64 of {@code der} in lines of 64, {@code -----END type-----}. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void writeOwnerOnly(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  // ---- DER

  private static byte[] basicConstraints(boolean ca) {
    byte[] value = ca ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq();
    return seq(oid(BASIC_CONSTRAINTS), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, value)); // critical
  }

  private static byte[] subjectAltNames(List<String> dnsNames, List<InetAddress> ips) {
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    dnsNames.forEach(d -> names.writeBytes(tlv(0x82, d.getBytes(StandardCharsets.US_ASCII)))); // [2] dNSName
    ips.forEach(ip -> names.writeBytes(tlv(0x87, ip.getAddress()))); // [7] iPAddress
    return seq(oid(SUBJECT_ALT_NAME), tlv(0x04, tlv(0x30, names.toByteArray())));
  }

  private static byte[] name(String commonName) {
    byte[] attribute = seq(oid(COMMON_NAME), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)));
    return seq(tlv(0x31, attribute));
  }

  /** UTCTime through 2049, GeneralizedTime after, as RFC 5280 asks. */
  private static byte[] time(Instant t) {
    var utc = t.atZone(ZoneOffset.UTC);
    boolean utcTime = utc.getYear() < 2050;
    String s = utc.format(DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'"));
    return tlv(utcTime ? 0x17 : 0x18, s.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bitString(byte[] bits) {
    byte[] v = new byte[bits.length + 1]; // no unused bits
    System.arraycopy(bits, 0, v, 1, bits.length);
    return tlv(0x03, v);
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int a = arcs[i];
      int shift = 28;
      while (shift > 0 && (a >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write(0x80 | (a >>> shift) & 0x7f);
      }
      out.write(a & 0x7f);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
