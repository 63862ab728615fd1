package io.jmanager.client.internal;

import io.jmanager.common.Fingerprints;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How a client trusts a daemon over TLS: by the SHA-256 fingerprint of its certificate (pinned),
 * by CA certificates from a PEM file (the daemon's certificate must chain to one and name the host
 * connected to), or both (both must hold). A client with either set speaks TLS 1.3 on every TCP
 * address; Unix sockets stay plain. Immutable; the {@link SSLContext} is made once, on first use.
 */
public final class TlsTrust {
  static final String PLAIN_CLIENT_HINT = " (if the daemon has tls.enabled=true, connect with TLS: set "
      + Fingerprints.ENV + " to the fingerprint it printed, or " + Fingerprints.CA_ENV + ")";
  private static final String PROTOCOL = "TLSv1.3";

  private final byte[] fingerprint; // null: not pinned
  private final Path caFile; // null: no CA
  private volatile SSLContext context;

  private TlsTrust(byte[] fingerprint, Path caFile) {
    this.fingerprint = fingerprint;
    this.caFile = caFile;
  }

  /**
   * Trust by {@code fingerprint} (hex, colons optional) and/or the CA certificates in the PEM
   * file {@code caFile}; null if both are null (no TLS).
   *
   * @throws IllegalArgumentException if the fingerprint is not 64 hex digits
   */
  public static TlsTrust of(String fingerprint, Path caFile) {
    if (fingerprint == null && caFile == null) {
      return null;
    }
    return new TlsTrust(fingerprint == null ? null : Fingerprints.parse(fingerprint), caFile);
  }

  /** From {@code JMANAGER_TLS_FINGERPRINT} and {@code JMANAGER_TLS_CA} (unset or empty: none); null if neither. */
  public static TlsTrust fromEnvironment() {
    String f = System.getenv(Fingerprints.ENV);
    String ca = System.getenv(Fingerprints.CA_ENV);
    try {
      return of(f == null || f.isBlank() ? null : f,
          ca == null || ca.isBlank() ? null : Path.of(ca.trim().replaceFirst("^~", System.getProperty("user.home"))));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Fingerprints.ENV + ": " + e.getMessage(), e);
    }
  }

  /**
   * The environment that makes a child JVM trust as this does (both variables, an empty one unset),
   * or, for {@code trust} null, one that makes it connect without TLS.
   */
  public static Map<String, String> environment(TlsTrust trust) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(Fingerprints.ENV, trust == null || trust.fingerprint == null ? "" : Fingerprints.format(trust.fingerprint));
    env.put(Fingerprints.CA_ENV, trust == null || trust.caFile == null ? "" : trust.caFile.toAbsolutePath().toString());
    return env;
  }

  /** A client engine for {@code e}, TLS 1.3 only; with a CA, it checks that the certificate names the host. */
  SSLEngine newEngine(Endpoint e) {
    SSLEngine engine = context().createSSLEngine(e.host(), e.port());
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    if (caFile != null) {
      p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host connected to
    }
    engine.setSSLParameters(p);
    return engine;
  }

  private SSLContext context() {
    SSLContext c = context;
    if (c == null) {
      synchronized (this) {
        if ((c = context) == null) {
          try {
            c = SSLContext.getInstance(PROTOCOL);
            c.init(null, new TrustManager[] {trustManager()}, null);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
          }
          context = c;
        }
      }
    }
    return c;
  }

  private X509TrustManager trustManager() throws GeneralSecurityException {
    X509TrustManager ca = caFile == null ? null : caTrustManager(caFile);
    return fingerprint == null ? ca : new Pinned(fingerprint, ca);
  }

  private static X509TrustManager caTrustManager(Path file) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(file)) {
      store.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in the TLS CA file " + file);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the TLS CA file " + file + ": " + e.getMessage(), e);
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X.509 trust manager in this JVM");
  }

  /**
   * Why the daemon was not trusted, if that is why {@code e} ended the handshake (the chain of
   * causes holds a certificate failure of ours or of the CA check); else null.
   */
  static String untrustedReason(SSLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FingerprintMismatch || t instanceof CertificateException) {
        return t.getMessage();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return (fingerprint != null ? "pinned fingerprint " + Fingerprints.format(fingerprint) : "")
        + (fingerprint != null && caFile != null ? " and " : "")
        + (caFile != null ? "CA file " + caFile : "");
  }

  /** The daemon's certificate fingerprint is not the pinned one. */
  static final class FingerprintMismatch extends CertificateException {
    FingerprintMismatch(String message) {
      super(message);
    }
  }

  /**
   * Trusts exactly the certificate whose SHA-256 fingerprint is pinned (and, with a CA, only if the
   * CA check passes too). The fingerprint names one certificate, so no host name is checked.
   */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final byte[] expected;
    private final X509TrustManager ca; // null: the fingerprint alone

    Pinned(byte[] expected, X509TrustManager ca) {
      this.expected = expected;
      this.ca = ca;
    }

    private void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the daemon sent no certificate");
      }
      byte[] actual = Fingerprints.sha256(chain[0]);
      if (!MessageDigest.isEqual(actual, expected)) {
        throw new FingerprintMismatch("the SHA-256 fingerprint of its TLS certificate is " + Fingerprints.format(actual)
            + ", expected " + Fingerprints.format(expected) + " (" + Fingerprints.ENV + " or ManagerBuilder.tlsFingerprint)");
      }
      if (ca instanceof X509ExtendedTrustManager x) {
        x.checkServerTrusted(chain, authType, engine);
      } else if (ca != null) {
        ca.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain, authType, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain, authType, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("a client trust manager checks daemons only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("a client trust manager checks daemons only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a client trust manager checks daemons only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsTrust t && java.util.Arrays.equals(fingerprint, t.fingerprint) && Objects.equals(caFile, t.caFile);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(fingerprint) * 31 + Objects.hashCode(caFile);
  }
}
