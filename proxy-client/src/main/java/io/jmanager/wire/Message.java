package io.jmanager.wire;

/**
 * Every frame on a jmanager connection carries exactly one {@code Message}. The family is closed:
 * adding a message means one record here, one registration line in {@link WireKryo} and one branch
 * in each side's handler.
 *
 * <p>Byte arrays and {@code Object[]} components make these records' {@code equals} identity-based;
 * they are transport values, not keys.
 */
public sealed interface Message {

  /** Server → client, first frame: protocol version and a fresh 32-byte challenge. */
  record Hello(int protocolVersion, byte[] serverNonce) implements Message {}

  /** Client → server: HMAC-SHA256(authkey, serverNonce), the client's own challenge, its pid. */
  record Auth(byte[] proof, byte[] clientNonce, long pid) implements Message {}

  /**
   * Server → client after a good {@link Auth}: the session id, HMAC-SHA256(authkey, clientNonce),
   * and the daemon's heartbeat, default call timeout and largest frame, which the client adopts;
   * the daemon's identity (random per start) and its Unix socket path ({@code ""} if none), which
   * the client hands to worker processes on the same host.
   */
  record Welcome(
      long sessionId, byte[] proof, int heartbeatMillis, int heartbeatTimeoutMillis,
      int callTimeoutMillis, int maxFrameBytes, long daemonId, String unixPath) implements Message {}

  /** Server → client: the handshake failed; the server closes the connection after this. */
  record Denied(String reason) implements Message {}

  /**
   * Client → server: invoke method {@code methodId} of object {@code objectId}. {@code thread} is the
   * calling thread's id in the client process: with the session it names a lock's owner.
   */
  record Call(long callId, int objectId, int methodId, Object[] args, long thread) implements Message {}

  /** Server → client: the call returned {@code value} ({@code null} for void methods). */
  record Reply(long callId, Object value) implements Message {}

  /** Server → client: the call threw; {@code type} is the exception's class name. */
  record Failure(long callId, String type, String message, String remoteStack)
      implements Message {}

  /**
   * Client → server: find or create object {@code name} of type {@code typeid}. {@code tableHash}
   * is the client interface's {@link MethodTable#hash()}, so interface skew fails here.
   */
  record Bind(long callId, String typeid, String name, Object[] params, int tableHash)
      implements Message {}

  /** Server → client: the object bound by call {@code callId} has id {@code objectId}. */
  record Bound(long callId, int objectId) implements Message {}

  /**
   * Client → server: the caller of {@code callId} was interrupted. If the call is still parked the
   * daemon drops its wait and answers it with an {@code InterruptedException} failure; if it was
   * already answered, nothing happens (the caller takes that answer, so nothing is lost).
   */
  record Cancel(long callId) implements Message {}

  /**
   * Heartbeat request, sent by either side on an idle connection; the daemon also sends one after
   * replies that hand queue items over, and counts the answers to learn what the client has read.
   */
  record Ping() implements Message {}

  /** Heartbeat answer: the client answers every Ping, in order; the daemon answers the client's. */
  record Pong() implements Message {}

  /**
   * Never sent: what the decoder yields for a {@link Call}, {@link Bind} or {@link Reply} whose
   * header was read but whose payload could not be (a class not allowed or not found). The
   * connection stays usable; the handler answers or fails just that call.
   */
  record Unreadable(long callId, RuntimeException cause) implements Message {}
}
