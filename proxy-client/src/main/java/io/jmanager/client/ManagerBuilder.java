package io.jmanager.client;

import io.jmanager.client.internal.Endpoint;
import io.jmanager.client.internal.RealManager;
import io.jmanager.client.internal.TlsTrust;
import io.jmanager.common.Authkeys;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options for {@link Manager#builder()}. Defaults: the authkey from {@code JMANAGER_AUTHKEY} or
 * {@code ~/.jmanager/authkey}; the call timeout the daemon announces (30 s unless configured);
 * a 10 s connect timeout; reconnecting for up to 30 s after a lost connection; TLS from {@code
 * JMANAGER_TLS_FINGERPRINT} and {@code JMANAGER_TLS_CA} (none if both are unset).
 *
 * <p><b>TLS.</b> A client that trusts a daemon by fingerprint ({@link #tlsFingerprint}) or CA
 * ({@link #tlsCa}) speaks TLS 1.3 on every TCP address and checks the daemon's certificate before
 * any jmanager message; Unix-socket addresses stay plain (the socket file is the owner's). Set on
 * the builder, these replace the environment variables; unset, the variables apply.
 */
public final class ManagerBuilder {
  /** How long a manager tries to reconnect after losing its connection, unless told otherwise. */
  public static final Duration DEFAULT_RECONNECT = Duration.ofSeconds(30);

  private List<Endpoint> endpoints;
  private byte[] authkey;
  private Path authkeyFile;
  private Duration callTimeout;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration reconnect = DEFAULT_RECONNECT;
  private String tlsFingerprint;
  private Path tlsCa;

  ManagerBuilder() {}

  /**
   * Connects to the daemon's TCP address {@code host:port}.
   *
   * @param host a host name or IP address
   * @param port the daemon's port
   * @return this builder
   * @throws NullPointerException if {@code host} is null
   */
  public ManagerBuilder address(String host, int port) {
    this.endpoints = List.of(Endpoint.tcp(Objects.requireNonNull(host, "host"), port));
    return this;
  }

  /**
   * {@code host:port} (e.g. {@code 127.0.0.1:50000}), {@code unix:/path/to/socket}, or a
   * comma-separated list of these, tried in order when connecting.
   *
   * @param address the daemon's address or addresses
   * @return this builder
   * @throws IllegalArgumentException if {@code address} is none of these
   */
  public ManagerBuilder address(String address) {
    this.endpoints = Endpoint.parseList(address);
    return this;
  }

  /**
   * Connects to the daemon's TCP address; an unresolved address is resolved when connecting.
   *
   * @param address the daemon's host and port
   * @return this builder
   * @throws NullPointerException if {@code address} is null
   */
  public ManagerBuilder address(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    return address(address.getHostString(), address.getPort());
  }

  /**
   * Authenticates with this key instead of reading one from the environment or a file.
   *
   * @param authkey the daemon's authkey; copied, so later changes to the array do not matter
   * @return this builder
   * @throws NullPointerException if {@code authkey} is null
   */
  public ManagerBuilder authkey(byte[] authkey) {
    this.authkey = Objects.requireNonNull(authkey, "authkey").clone();
    return this;
  }

  /**
   * Reads the authkey from this file instead of the default places; {@link #authkey(byte[])}, if
   * also set, wins. The file is read by {@link #connect()}.
   *
   * @param file a file holding the authkey, as the daemon writes it
   * @return this builder
   * @throws NullPointerException if {@code file} is null
   */
  public ManagerBuilder authkeyFile(Path file) {
    this.authkeyFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /**
   * How long a non-blocking call waits for its answer before {@link CallTimeoutException}; calls
   * that block by contract ({@code take}, {@code lock}, {@code acquire}, ...) are not bound by it.
   *
   * @param timeout a positive duration; unset, the daemon's announced call timeout applies
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
   */
  public ManagerBuilder callTimeout(Duration timeout) {
    this.callTimeout = positive(timeout, "callTimeout");
    return this;
  }

  /**
   * How long connecting to one address may take, handshakes included, before it fails with {@link
   * ConnectionLostException} (or the next address is tried). Default 10 s.
   *
   * @param timeout a positive duration
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
   */
  public ManagerBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /**
   * How long to keep trying to reconnect after the connection drops, in total, before giving up
   * (then every call throws {@link ConnectionLostException}). Attempts go through the addresses in
   * order, waiting 50 ms after the first round and twice as long after each next one, up to 2 s.
   * A daemon that refuses the authkey ends reconnecting at once. {@link Duration#ZERO} turns
   * reconnecting off: a lost connection is final, as {@link Manager#isConnected()} then says.
   *
   * @param giveUpAfter zero or a positive duration; default {@link #DEFAULT_RECONNECT}
   * @return this builder
   * @throws IllegalArgumentException if {@code giveUpAfter} is null or negative
   */
  public ManagerBuilder reconnect(Duration giveUpAfter) {
    if (giveUpAfter == null || giveUpAfter.isNegative()) {
      throw new IllegalArgumentException("reconnect must be zero (off) or positive, got " + giveUpAfter);
    }
    this.reconnect = giveUpAfter;
    return this;
  }

  /**
   * Connects over TLS to a daemon whose certificate has this SHA-256 fingerprint (64 hex digits,
   * colons optional, as the daemon prints it at start); a daemon with another certificate is
   * refused during the TLS handshake.
   *
   * @param sha256 the certificate's SHA-256 fingerprint in hex
   * @return this builder
   * @throws IllegalArgumentException if {@code sha256} is not 64 hex digits
   */
  public ManagerBuilder tlsFingerprint(String sha256) {
    TlsTrust.of(Objects.requireNonNull(sha256, "sha256"), null); // checks the format now
    this.tlsFingerprint = sha256;
    return this;
  }

  /**
   * Connects over TLS to a daemon whose certificate chains to one of the CA certificates in this PEM
   * file and names the host connected to (DNS name or IP address). The file is read by {@link
   * #connect()}.
   *
   * @param pemFile one or more CA certificates in PEM
   * @return this builder
   * @throws NullPointerException if {@code pemFile} is null
   */
  public ManagerBuilder tlsCa(Path pemFile) {
    this.tlsCa = Objects.requireNonNull(pemFile, "pemFile");
    return this;
  }

  /**
   * Connects and authenticates, trying the addresses in order. Blocks until connected, or until
   * every address has failed.
   *
   * @return a connected manager
   * @throws IllegalStateException if no address was set
   * @throws AuthenticationException if no authkey is found, the daemon rejects it, or the daemon's
   *     TLS certificate is not the one trusted
   * @throws ConnectionLostException if the daemon cannot be reached
   */
  public Manager connect() {
    if (endpoints == null) {
      throw new IllegalStateException("no address: call address(...) first");
    }
    byte[] key = authkey != null ? authkey : authkeyFile != null ? Authkeys.read(authkeyFile) : Authkeys.fromEnvironmentOrHome();
    TlsTrust tls = tlsFingerprint != null || tlsCa != null ? TlsTrust.of(tlsFingerprint, tlsCa) : TlsTrust.fromEnvironment();
    try {
      return RealManager.connect(endpoints, key, tls, callTimeout, connectTimeout, reconnect);
    } catch (AuthenticationException e) {
      if (!String.valueOf(e.getMessage()).contains("wrong authkey")) {
        throw e;
      }
      AuthenticationException named = new AuthenticationException(e.getMessage() + "; this client's key came from "
          + keySource() + ", the daemon's from its authkey file (authkey.file) or its " + Authkeys.AUTHKEY_ENV);
      named.initCause(e);
      throw named;
    }
  }

  /** Where this builder's authkey comes from, in words. */
  private String keySource() {
    if (authkey != null) {
      return "ManagerBuilder.authkey(...)";
    }
    if (authkeyFile != null) {
      return "the file " + authkeyFile.toAbsolutePath();
    }
    return Authkeys.fromEnvironment() != null ? "the environment (" + Authkeys.AUTHKEY_ENV + ")"
        : "the file " + Authkeys.defaultFile();
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
