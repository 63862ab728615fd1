package io.jmanager.wire;

/**
 * The framing both sides use: a 4-byte big-endian length, then the body. The largest body a reader
 * accepts can change once: a connection starts with {@link #HANDSHAKE_MAX_FRAME_BYTES} (an
 * unauthenticated peer cannot make either side buffer more) and is raised to {@code
 * max.frame.bytes} when the handshake succeeds. Each side sends nothing more until it has the
 * other's handshake answer, so no frame straddles the change.
 */
public final class Frames {
  /** The size of the length prefix: a big-endian {@code int} counting the body's bytes. */
  public static final int LENGTH_BYTES = 4;

  /**
   * The largest body accepted after the handshake, 64 MiB, unless {@code max.frame.bytes} says
   * otherwise.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

  /** The largest body accepted before the handshake has succeeded, in bytes. */
  public static final int HANDSHAKE_MAX_FRAME_BYTES = 1024;

  private Frames() {}
}
