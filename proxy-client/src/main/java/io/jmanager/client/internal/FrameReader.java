package io.jmanager.client.internal;

import io.jmanager.wire.Frames;
import io.jmanager.wire.Message;
import io.jmanager.wire.WireCodec;
import io.jmanager.wire.WireException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The reading half of a {@link Connection}: bytes from a non-blocking socket into whole frames,
 * and frames into messages. Not thread-safe: only the thread holding the connection's reading role
 * touches it (the role's hand-off orders one holder's writes before the next one's reads).
 */
final class FrameReader {
  private static final int READ_CHUNK = 256 << 10; // bounds the JDK's temporary direct buffer per read
  private static final int IDLE_BUFFER = 64 << 10;

  private final SocketChannel channel;
  private final TlsChannel tls; // null: plain
  private byte[] in = new byte[IDLE_BUFFER];
  private int start;
  private int end;
  private int maxFrameBytes = Frames.HANDSHAKE_MAX_FRAME_BYTES;
  private volatile long lastReadNanos = System.nanoTime();
  private boolean filledAll;

  FrameReader(SocketChannel channel, TlsChannel tls) {
    this.channel = channel;
    this.tls = tls;
  }

  long lastReadNanos() {
    return lastReadNanos;
  }

  /** Raises the largest frame accepted, once the daemon has authenticated. */
  void maxFrameBytes(int max) {
    maxFrameBytes = max;
  }

  /**
   * Reads once, without waiting.
   *
   * @return the bytes read (0 if none were ready)
   * @throws EOFException if the daemon closed the connection
   */
  int fill() throws IOException {
    if (end == in.length) {
      compact(in.length - start + 1);
    }
    int room = Math.min(in.length - end, READ_CHUNK);
    int n = tls == null ? channel.read(ByteBuffer.wrap(in, end, room)) : tls.read(ByteBuffer.wrap(in, end, room));
    filledAll = n == room || tls != null && tls.hasMoreInput();
    if (n < 0) {
      throw new EOFException("the daemon closed the connection");
    }
    if (n > 0) {
      end += n;
      lastReadNanos = System.nanoTime();
    }
    return n;
  }

  /**
   * Whether the last {@link #fill} filled all the room it had, or left TLS input behind: the socket
   * (or the TLS buffers) may hold more.
   */
  boolean filledAll() {
    return filledAll;
  }

  /**
   * The next whole message in the buffer, or null until more bytes arrive.
   *
   * @throws WireException if the frame is too large or not a message {@code codec} accepts
   */
  Message next(WireCodec codec) {
    int body = nextFrame();
    if (body < 0) {
      if (start == end) {
        start = end = 0;
        if (in.length > IDLE_BUFFER) {
          in = new byte[IDLE_BUFFER]; // do not pin the buffer of a huge reply
        }
      }
      return null;
    }
    try {
      return codec.decode(in, start + Frames.LENGTH_BYTES, body);
    } finally {
      start += Frames.LENGTH_BYTES + body;
    }
  }

  /** The body length of the whole frame at {@code start}, or -1 if it has not all arrived. */
  private int nextFrame() {
    if (end - start < Frames.LENGTH_BYTES) {
      return -1;
    }
    int body = (in[start] & 0xff) << 24 | (in[start + 1] & 0xff) << 16 | (in[start + 2] & 0xff) << 8 | (in[start + 3] & 0xff);
    if (body < 0 || body > maxFrameBytes) {
      throw new WireException(
          "the daemon sent a frame of " + Integer.toUnsignedString(body) + " bytes (limit " + maxFrameBytes + ")");
    }
    int whole = Frames.LENGTH_BYTES + body;
    if (end - start >= whole) {
      return body;
    }
    if (in.length - start < whole) {
      compact(whole);
    }
    return -1;
  }

  /** Moves the unread bytes to the front, growing the buffer so that {@code room} bytes fit. */
  private void compact(int room) {
    int unread = end - start;
    byte[] target = room > in.length ? new byte[Math.max(room, in.length * 2)] : in;
    System.arraycopy(in, start, target, 0, unread);
    in = target;
    start = 0;
    end = unread;
  }
}
