package io.jmanager.server.python;

import io.jmanager.server.python.PythonFrames.Decoded;
import io.jmanager.server.python.PythonFrames.Frame;
import io.jmanager.server.python.PythonFrames.Refused;
import io.jmanager.server.python.PythonHandshake.Outcome;
import io.jmanager.server.python.PythonHandshake.Step;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A blocking server-side connection for cross-tests: frames read with {@link
 * PythonFrames#decode} over a growing buffer, written with {@link PythonFrames#frame}; and the
 * handshake driven from it, as the gateway's handlers will drive it from Netty.
 */
final class FramedSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private ByteBuffer buffer = ByteBuffer.allocate(64); // bytes read and not consumed: [0, position)

  FramedSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** The next frame's body, at most {@code maxBody} bytes. */
  byte[] read(long maxBody) throws IOException {
    while (true) {
      buffer.flip();
      Decoded d = PythonFrames.decode(buffer, maxBody);
      if (d instanceof Frame f) {
        buffer.position(buffer.position() + f.headerBytes());
        byte[] body = new byte[(int) f.bodyBytes()];
        buffer.get(body);
        buffer.compact();
        return body;
      }
      if (d instanceof Refused r) {
        throw new IOException(r.reason());
      }
      buffer.compact();
      if (!buffer.hasRemaining()) {
        buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
      }
      int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
      if (n < 0) {
        throw new EOFException("the peer closed the connection");
      }
      buffer.position(buffer.position() + n);
    }
  }

  void write(byte[] body) throws IOException {
    out.write(PythonFrames.frame(body));
    out.flush();
  }

  /**
   * Runs {@code handshake} to its end; {@code seen} receives each message from the client.
   *
   * @return the last step: {@link Outcome#AUTHENTICATED} or {@link Outcome#FAILED}
   */
  Step handshake(PythonHandshake handshake, List<byte[]> seen) throws IOException {
    write(handshake.challenge());
    while (true) {
      byte[] message = read(PythonHandshake.MAX_MESSAGE_BYTES);
      seen.add(message);
      Step step = handshake.receive(message);
      if (step.reply() != null) {
        write(step.reply());
      }
      if (step.outcome() != Outcome.CONTINUE) {
        return step;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
