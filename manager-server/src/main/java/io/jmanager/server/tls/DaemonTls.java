package io.jmanager.server.tls;

import io.jmanager.common.Fingerprints;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's TLS: its certificate and key, and an {@link SslContext} for TLS 1.3 only ({@link #provider()}),
 * from which each TCP connection gets its {@link SslHandler}. The certificate and key come from PEM
 * files ({@code tls.cert}, {@code tls.key}: the certificate chain, leaf first, and a PKCS#8 key);
 * without them the daemon uses {@value #CERT_FILE} and {@value #KEY_FILE} in {@code tls.dir},
 * creating them (a self-signed EC P-256 certificate for {@code localhost}, 127.0.0.1 and ::1, mode
 * 0600) on the first start and reusing them on later ones, so pinned fingerprints stay valid.
 * Immutable and thread-safe.
 */
public final class DaemonTls {
  public static final String CERT_FILE = "tls-cert.pem";
  public static final String KEY_FILE = "tls-key.pem";
  public static final String PROTOCOL = "TLSv1.3";
  private static final Logger log = LoggerFactory.getLogger(DaemonTls.class);

  private final SslContext context;
  private final X509Certificate certificate;
  private final Path certFile;
  private final boolean generated;
  private final long handshakeTimeoutMillis;

  private DaemonTls(SslContext context, X509Certificate certificate, Path certFile, boolean generated, Duration handshakeTimeout) {
    this.context = context;
    this.certificate = certificate;
    this.certFile = certFile;
    this.generated = generated;
    this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
  }

  /**
   * The daemon's TLS from {@code certFile} and {@code keyFile}, or, both null, from the files in
   * {@code dir} (made now if either is missing).
   *
   * @param handshakeTimeout how long a connection has for the TLS handshake
   * @throws IllegalArgumentException if the files cannot be read or do not hold a certificate and key
   */
  public static DaemonTls load(Path certFile, Path keyFile, Path dir, Duration handshakeTimeout) {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("tls.cert and tls.key go together: set both, or neither for a generated certificate");
    }
    boolean generated = false;
    if (certFile == null) {
      certFile = dir.resolve(CERT_FILE);
      keyFile = dir.resolve(KEY_FILE);
      if (!Files.exists(certFile) || !Files.exists(keyFile)) {
        Certificates.Issued c = Certificates.selfSigned(
            "jmanager daemon", List.of("localhost"), List.of(InetAddress.getLoopbackAddress(), ipv6Loopback()), false);
        Certificates.writePem(c.certificate(), c.key(), certFile, keyFile);
        log.info("created a self-signed TLS certificate {} and its key {}", certFile, keyFile);
        generated = true;
      }
    }
    X509Certificate leaf = readLeaf(certFile);
    try {
      SslContext context = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
          .sslProvider(provider())
          .protocols(PROTOCOL)
          .build();
      return new DaemonTls(context, leaf, certFile, generated, handshakeTimeout);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS certificate " + certFile + " with the key " + keyFile + " (the key must be PKCS#8 PEM, "
              + "'BEGIN PRIVATE KEY'): " + e.getMessage(), e);
    }
  }

  /**
   * BoringSSL (netty-tcnative, shipped for linux-x86_64) where it loads: it costs the daemon a
   * third of the JDK engine's CPU per small record; else the JDK's engine.
   */
  static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** {@code BoringSSL} or {@code JDK}: the engine the daemon's TLS runs on, for its start line. */
  public String engine() {
    return context instanceof io.netty.handler.ssl.OpenSslContext ? "BoringSSL" : "JDK";
  }

  private static InetAddress ipv6Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    } catch (java.net.UnknownHostException impossible) {
      throw new AssertionError(impossible);
    }
  }

  /** The first certificate of the PEM file {@code file}. */
  public static X509Certificate readLeaf(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("cannot read a PEM certificate from " + file + ": " + e.getMessage(), e);
    }
  }

  /** A handler for one new TCP connection, to go first in its pipeline. */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    SslHandler h = context.newHandler(alloc);
    h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return h;
  }

  /** The SHA-256 fingerprint of the daemon's certificate, as clients pin it ({@link Fingerprints#format}). */
  public String fingerprint() {
    return Fingerprints.format(Fingerprints.sha256(certificate));
  }

  public Path certFile() {
    return certFile;
  }

  /** Whether this start created the certificate. */
  public boolean generated() {
    return generated;
  }
}
