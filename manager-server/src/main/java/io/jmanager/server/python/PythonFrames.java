package io.jmanager.server.python;

import java.nio.ByteBuffer;

/**
 * The framing of CPython's {@code multiprocessing.connection.Connection} on a socket: a 4-byte
 * big-endian signed length ({@code struct "!i"}), then the body; a body over {@code 0x7fffffff}
 * bytes has the length {@code -1} followed by an 8-byte unsigned length ({@code "!Q"}, CPython
 * 3.8+). Stateless and thread-safe: {@link #header} for the way out, {@link #decode} to find a
 * frame in buffered bytes (the Netty decoder wraps it).
 */
public final class PythonFrames {
  /** The bytes of a short header: the 4-byte length. */
  public static final int SHORT_HEADER_BYTES = 4;

  /** The bytes of a long header: {@code -1}, then the 8-byte length. */
  public static final int LONG_HEADER_BYTES = 12;

  /** The largest body a short header can announce; CPython sends larger ones with a long header. */
  public static final long MAX_SHORT_BODY = 0x7fffffffL;

  private static final int LONG_FORM = -1;

  private PythonFrames() {}

  /** The outcome of {@link #decode}: {@link NeedMore}, {@link Frame} or {@link Refused}. */
  public sealed interface Decoded permits NeedMore, Frame, Refused {}

  /** The buffered bytes hold no whole frame yet: read more and ask again. */
  public record NeedMore() implements Decoded {}

  /**
   * A whole frame is buffered: the header's {@code headerBytes}, then the body's {@code
   * bodyBytes}.
   */
  public record Frame(int headerBytes, long bodyBytes) implements Decoded {
    /** The header and the body together. */
    public long frameBytes() {
      return headerBytes + bodyBytes;
    }
  }

  /** The header announces a length this side will not read; the connection should be closed. */
  public record Refused(String reason) implements Decoded {}

  private static final NeedMore NEED_MORE = new NeedMore();

  /**
   * The header that announces a body of {@code bodyBytes}: 4 bytes up to {@link #MAX_SHORT_BODY},
   * else 12, as CPython's {@code Connection._send_bytes} writes it.
   *
   * @throws IllegalArgumentException if {@code bodyBytes} is negative
   */
  public static byte[] header(long bodyBytes) {
    if (bodyBytes < 0) {
      throw new IllegalArgumentException("a body cannot have " + bodyBytes + " bytes");
    }
    if (bodyBytes <= MAX_SHORT_BODY) {
      return ByteBuffer.allocate(SHORT_HEADER_BYTES).putInt((int) bodyBytes).array();
    }
    return ByteBuffer.allocate(LONG_HEADER_BYTES).putInt(LONG_FORM).putLong(bodyBytes).array();
  }

  /** {@code body} with its header in front: a new array. */
  public static byte[] frame(byte[] body) {
    byte[] header = header(body.length);
    byte[] frame = new byte[header.length + body.length];
    System.arraycopy(header, 0, frame, 0, header.length);
    System.arraycopy(body, 0, frame, header.length, body.length);
    return frame;
  }

  /**
   * Finds the frame at the start of {@code buffered}, whose {@code remaining()} bytes are all the
   * bytes read and not yet consumed. Reads only the header (absolute gets: the buffer's position
   * is not moved).
   *
   * @param maxBodyBytes the largest body accepted; a larger announced length is {@link Refused}
   *     as soon as the header is in, before its body is read
   * @return {@link NeedMore} while the header or the body is incomplete, {@link Frame} once both
   *     are buffered, {@link Refused} for a length over {@code maxBodyBytes} or negative other
   *     than the long form's {@code -1}
   */
  public static Decoded decode(ByteBuffer buffered, long maxBodyBytes) {
    int at = buffered.position();
    long available = buffered.remaining();
    if (available < SHORT_HEADER_BYTES) {
      return NEED_MORE;
    }
    int shortLength = buffered.getInt(at);
    int headerBytes;
    long bodyBytes;
    if (shortLength >= 0) {
      headerBytes = SHORT_HEADER_BYTES;
      bodyBytes = shortLength;
    } else if (shortLength == LONG_FORM) {
      if (available < LONG_HEADER_BYTES) {
        return NEED_MORE;
      }
      headerBytes = LONG_HEADER_BYTES;
      bodyBytes = buffered.getLong(at + SHORT_HEADER_BYTES);
      if (bodyBytes < 0) { // an unsigned length of 2^63 or more
        return new Refused(
            "frame of " + Long.toUnsignedString(bodyBytes) + " bytes exceeds the limit of "
                + maxBodyBytes + " bytes");
      }
    } else {
      return new Refused("negative frame length " + shortLength);
    }
    if (bodyBytes > maxBodyBytes) {
      return new Refused(
          "frame of " + bodyBytes + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
    }
    return available - headerBytes < bodyBytes ? NEED_MORE : new Frame(headerBytes, bodyBytes);
  }
}
