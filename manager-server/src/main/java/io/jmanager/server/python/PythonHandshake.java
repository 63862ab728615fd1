package io.jmanager.server.python;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The listener's side of CPython's {@code multiprocessing.connection} authentication, as a state
 * machine over whole messages (bodies without their {@link PythonFrames} header), so that any I/O
 * can drive it. Like CPython's {@code Listener.accept}, it first delivers a challenge ({@code
 * deliver_challenge}), then answers the client's ({@code answer_challenge}):
 *
 * <ol>
 *   <li>{@link #challenge()}: send {@code #CHALLENGE#{sha256}} and 40 random bytes, as CPython
 *       3.12+ does. A CPython 3.8-3.11 client takes all of it after {@code #CHALLENGE#} as the
 *       message and answers a raw 16-byte HMAC-MD5 of it; a 3.12+ client answers {@code {sha256}}
 *       and the HMAC-SHA256 of it (the message includes its {@code {sha256}} prefix, so no
 *       downgrade can be slipped in).
 *   <li>{@link #receive} the response: checked as CPython 3.12's {@code _verify_challenge} does
 *       (16 or 20 bytes: raw MD5; otherwise a {@code {digest}} prefix naming md5, sha256, sha384,
 *       sha3_256 or sha3_384, then that HMAC), compared in constant time; the reply is {@code
 *       #WELCOME#} or {@code #FAILURE#}.
 *   <li>{@link #receive} the client's challenge: answered in its own form (20 bytes, from
 *       3.8-3.11: raw HMAC-MD5; {@code {digest}}-prefixed, from 3.12+: that prefix and that HMAC
 *       over the whole message, prefix included).
 *   <li>{@link #receive} the client's verdict: {@code #WELCOME#} authenticates the connection.
 * </ol>
 *
 * A message over {@link #MAX_MESSAGE_BYTES} fails the handshake with no reply, as CPython's {@code
 * recv_bytes(256)} does; a wrong digest from the client is answered {@code #FAILURE#} (on which
 * the client raises {@code AuthenticationError}). Not thread-safe: one instance per connection,
 * driven by one thread at a time; it never blocks.
 */
public final class PythonHandshake {
  /** The largest handshake message either side reads (CPython: {@code recv_bytes(256)}). */
  public static final int MAX_MESSAGE_BYTES = 256;

  static final byte[] CHALLENGE = ascii("#CHALLENGE#");
  static final byte[] WELCOME = ascii("#WELCOME#");
  static final byte[] FAILURE = ascii("#FAILURE#");
  static final int NONCE_BYTES = 40; // CPython 3.12's MESSAGE_LENGTH
  private static final int LEGACY_CHALLENGE_BYTES = 20; // a CPython <= 3.11 nonce, unprefixed
  private static final int LEGACY_RESPONSE_BYTES = 16; // a raw HMAC-MD5
  private static final int MAX_DIGEST_NAME = 8; // "sha3_256"
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where the handshake stands after a step. */
  public enum Outcome {
    /** Send the step's reply and pass on the next message. */
    CONTINUE,
    /** Both sides proved the key: the connection may carry requests. */
    AUTHENTICATED,
    /** Send the step's reply, if any, then close the connection. */
    FAILED
  }

  /**
   * One step: {@code reply} is a message body to frame and send first ({@code null} when there
   * is none); {@code failure} says why the handshake failed ({@code null} unless {@code outcome}
   * is {@link Outcome#FAILED}), in the words of CPython's {@code AuthenticationError}.
   */
  public record Step(byte[] reply, Outcome outcome, String failure) {
    static Step next(byte[] reply) {
      return new Step(reply, Outcome.CONTINUE, null);
    }

    static Step failed(byte[] reply, String failure) {
      return new Step(reply, Outcome.FAILED, failure);
    }
  }

  private enum State { NEW, AWAIT_RESPONSE, AWAIT_CHALLENGE, AWAIT_VERDICT, DONE }

  /** The HMAC digests CPython 3.12+ allows ({@code _ALLOWED_DIGESTS}), by their wire names. */
  private enum Digest {
    MD5("md5", "HmacMD5"),
    SHA256("sha256", "HmacSHA256"),
    SHA384("sha384", "HmacSHA384"),
    SHA3_256("sha3_256", "HmacSHA3-256"),
    SHA3_384("sha3_384", "HmacSHA3-384");

    final String wireName;
    final String macName;

    Digest(String wireName, String macName) {
      this.wireName = wireName;
      this.macName = macName;
    }

    static Digest named(String wireName) {
      for (Digest d : values()) {
        if (d.wireName.equals(wireName)) {
          return d;
        }
      }
      return null;
    }
  }

  /**
   * A challenge or response split as CPython's {@code _get_digest_name_and_payload} splits it:
   * {@code prefixed} is false for the legacy unprefixed MD5 form.
   */
  private record Tagged(Digest digest, boolean prefixed, byte[] payload) {}

  private final byte[] authkey;
  private final byte[] message; // the challenge after #CHALLENGE#: {sha256} and the nonce
  private State state = State.NEW;

  /** A handshake for a new connection, with a fresh random nonce. */
  public PythonHandshake(byte[] authkey) {
    this(authkey, randomNonce());
  }

  /** A handshake whose challenge carries {@code nonce} (tests use fixed ones). */
  PythonHandshake(byte[] authkey, byte[] nonce) {
    this.authkey = authkey.clone();
    this.message = concat(ascii("{" + Digest.SHA256.wireName + "}"), nonce);
  }

  /**
   * The first message, to send as soon as the connection is accepted.
   *
   * @throws IllegalStateException if called twice
   */
  public byte[] challenge() {
    expect(State.NEW);
    state = State.AWAIT_RESPONSE;
    return concat(CHALLENGE, message);
  }

  /**
   * Takes the client's next message.
   *
   * @throws IllegalStateException before {@link #challenge()} or after the handshake ended
   */
  public Step receive(byte[] received) {
    if (state == State.NEW || state == State.DONE) {
      throw new IllegalStateException("the handshake takes no message in state " + state);
    }
    if (received.length > MAX_MESSAGE_BYTES) {
      return end(Step.failed(null, "bad message length: " + received.length + " bytes"));
    }
    return switch (state) {
      case AWAIT_RESPONSE -> verifyResponse(received);
      case AWAIT_CHALLENGE -> answerChallenge(received);
      default -> takeVerdict(received);
    };
  }

  private Step verifyResponse(byte[] response) {
    Tagged tagged = parse(response);
    if (tagged == null) {
      return end(Step.failed(FAILURE, "unsupported response length, missing digest prefix,"
          + " or unsupported digest: " + response.length + " bytes"));
    }
    byte[] expected = hmac(tagged.digest(), message);
    if (expected.length != tagged.payload().length) {
      return end(Step.failed(FAILURE, "expected '" + tagged.digest().wireName + "' of length "
          + expected.length + " got " + tagged.payload().length));
    }
    if (!MessageDigest.isEqual(expected, tagged.payload())) {
      return end(Step.failed(FAILURE, "digest received was wrong"));
    }
    state = State.AWAIT_CHALLENGE;
    return Step.next(WELCOME);
  }

  private Step answerChallenge(byte[] challenge) {
    if (!startsWith(challenge, CHALLENGE)) {
      return end(Step.failed(null, "protocol error, expected a challenge"));
    }
    byte[] theirs = Arrays.copyOfRange(challenge, CHALLENGE.length, challenge.length);
    if (theirs.length < LEGACY_CHALLENGE_BYTES) {
      return end(Step.failed(null, "challenge too short: " + theirs.length + " bytes"));
    }
    Tagged tagged = parse(theirs);
    if (tagged == null) {
      return end(Step.failed(null, "unsupported challenge length, missing digest prefix,"
          + " or unsupported digest"));
    }
    byte[] mac = hmac(tagged.digest(), theirs); // over the whole message, prefix included
    state = State.AWAIT_VERDICT;
    return Step.next(tagged.prefixed() ? concat(prefix(tagged.digest()), mac) : mac);
  }

  private Step takeVerdict(byte[] verdict) {
    if (Arrays.equals(verdict, WELCOME)) {
      return end(new Step(null, Outcome.AUTHENTICATED, null));
    }
    return end(Step.failed(null, "digest sent was rejected"));
  }

  private Step end(Step step) {
    state = State.DONE;
    return step;
  }

  private void expect(State expected) {
    if (state != expected) {
      throw new IllegalStateException("the handshake is in state " + state + ", not " + expected);
    }
  }

  /** CPython 3.12's {@code _get_digest_name_and_payload}; {@code null} where it raises. */
  private static Tagged parse(byte[] m) {
    if (m.length == LEGACY_CHALLENGE_BYTES || m.length == LEGACY_RESPONSE_BYTES) {
      return new Tagged(Digest.MD5, false, m);
    }
    if (m.length == 0 || m[0] != '{') {
      return null;
    }
    for (int i = 1; i < Math.min(m.length, MAX_DIGEST_NAME + 2); i++) {
      if (m[i] == '}') {
        Digest d = Digest.named(new String(m, 1, i - 1, StandardCharsets.US_ASCII));
        return d == null ? null : new Tagged(d, true, Arrays.copyOfRange(m, i + 1, m.length));
      }
    }
    return null;
  }

  private byte[] hmac(Digest digest, byte[] data) {
    try {
      Mac mac = Mac.getInstance(digest.macName);
      mac.init(new SecretKeySpec(authkey, digest.macName));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      // every digest in the table ships with the JDK 17 SunJCE provider
      throw new IllegalStateException(digest.macName + " is not available in this JVM", e);
    }
  }

  private static byte[] prefix(Digest digest) {
    return ascii("{" + digest.wireName + "}");
  }

  private static byte[] randomNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
