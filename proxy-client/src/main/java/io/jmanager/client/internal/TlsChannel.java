package io.jmanager.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a {@link Connection}'s non-blocking socket, with an {@link SSLEngine} driven by the
 * connection's own threads: {@link FrameWriter} writes through it (wrapping) under its write lock,
 * {@link FrameReader} reads through it (unwrapping) in the thread holding the reading role. The
 * two sides touch separate buffers; the engine itself lets one wrap and one unwrap run at once.
 *
 * <p><b>Writing</b> is non-blocking as a socket is: {@link #write} wraps what it can into records
 * and returns the plaintext bytes taken, which may still sit encrypted in the outgoing buffer when
 * the socket is full; the writer then waits for room and calls {@link #flush} until it returns
 * true, before letting the lock go. <b>Reading</b> returns the plaintext of whole records; a record
 * larger than the caller's room goes through a buffer of its own and is handed over in parts. TLS
 * 1.3 messages after the handshake (session tickets, key updates) are taken in while reading; when
 * one asks for an answer (a key update), the reader only marks output pending ({@link
 * #hasPendingOutput}): the reader never waits on the write lock, so the next writer, or the
 * heartbeat's flush, wraps it.
 */
final class TlsChannel implements ByteChannel, GatheringByteChannel {
  private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
  private static final int NET_OUT_RECORDS = 8; // records wrapped per socket write at most

  private final SocketChannel socket;
  private final SSLEngine engine;
  private int appRoom; // plaintext of one record, at most (reading side)
  private final int packetRoom; // one record, encrypted, at most (writing side)

  // the reading side: the reading-role holder only
  private ByteBuffer netIn; // write mode: [0, position) is ciphertext not yet unwrapped
  private ByteBuffer appIn; // read mode: plaintext unwrapped and not yet handed over
  private boolean moreInput; // the last read may have left input behind
  private boolean inboundClosed; // close_notify or end of stream

  // the writing side: the write-lock holder only
  private final ByteBuffer netOut; // write mode: [0, position) is ciphertext not yet written
  private volatile boolean wrapWanted; // the engine has a message of its own to send
  private volatile boolean unwritten; // netOut holds bytes
  private volatile boolean closeRequested; // closeOutbound() was called
  private Runnable answerNow = () -> {}; // the reader's try at the write lock, to answer at once
  private Runnable answered = () -> {}; // wakes a reader waiting on the socket
  private boolean closeWrapped; // the close_notify is in netOut or written

  TlsChannel(SocketChannel socket, SSLEngine engine) {
    this.socket = socket;
    this.engine = engine;
    int packet = engine.getSession().getPacketBufferSize();
    this.packetRoom = packet;
    this.appRoom = engine.getSession().getApplicationBufferSize();
    this.netIn = ByteBuffer.allocate(Math.max(packet, 64 << 10));
    this.appIn = ByteBuffer.allocate(appRoom).flip();
    this.netOut = ByteBuffer.allocate(packet * NET_OUT_RECORDS);
  }

  SSLEngine engine() {
    return engine;
  }

  /**
   * How messages the engine must send by itself get out at once: {@code answerNow} runs in the
   * reader when one is wanted (it writes if the write lock is free, never waiting; else its holder
   * writes before letting go), {@code answered} once it is written (to wake a reader whose records
   * wait behind it: the engine reads no further until it is).
   */
  void hooks(Runnable answerNow, Runnable answered) {
    this.answerNow = answerNow;
    this.answered = answered;
  }

  // ---- handshake

  /**
   * Runs the TLS handshake on the connected socket until the deadline ({@link System#nanoTime()}),
   * waiting on the connection's selectors.
   *
   * @throws NotTlsException if the daemon answers in plain jmanager framing
   * @throws SSLException if the handshake fails (an untrusted certificate among other causes)
   * @throws TimeoutException if the deadline passes
   */
  void handshake(Selector readable, Selector writable, long deadline) throws IOException, TimeoutException {
    engine.beginHandshake();
    boolean checked = false; // the daemon's first byte was looked at
    try {
      while (true) {
        HandshakeStatus hs = engine.getHandshakeStatus();
        switch (hs) {
          case NEED_TASK -> runTasks();
          case NEED_WRAP -> {
            wrapOwn();
            flushWithin(writable, deadline);
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            if (netIn.position() > 0 && !checked) {
              checkTls(netIn.get(0));
              checked = true;
            }
            if (netIn.position() == 0 || !unwrapOnce()) {
              fillDuringHandshake(readable, deadline);
            }
          }
          default -> { // FINISHED, NOT_HANDSHAKING: our last flight may still be buffered
            flushWithin(writable, deadline);
            return;
          }
        }
      }
    } catch (SSLException e) {
      sendAlert(); // tell the daemon why, if the engine has an alert to send
      throw e;
    }
  }

  /** A TLS record starts with its content type: handshake (22) or alert (21) at first. */
  private static void checkTls(byte first) throws NotTlsException {
    if (first != 22 && first != 21) {
      throw new NotTlsException("the daemon answered in plain jmanager, not TLS");
    }
  }

  private void fillDuringHandshake(Selector readable, long deadline) throws IOException, TimeoutException {
    if (!netIn.hasRemaining()) {
      netIn = grow(netIn, netIn.capacity() * 2);
    }
    int n = socket.read(netIn);
    if (n < 0) {
      throw new EOFException("the daemon closed the connection during the TLS handshake");
    }
    if (n == 0) {
      select(readable, deadline);
    }
  }

  private void flushWithin(Selector writable, long deadline) throws IOException, TimeoutException {
    while (!flush()) {
      select(writable, deadline);
    }
  }

  private static void select(Selector selector, long deadline) throws IOException, TimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new TimeoutException();
    }
    selector.select(Math.max(1, left / 1_000_000));
    selector.selectedKeys().clear();
  }

  private void sendAlert() {
    try {
      if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
        wrapOwn();
        flush();
      }
    } catch (IOException | RuntimeException e) {
      // the handshake failed already; the alert is a courtesy to the daemon's log
    }
  }

  // ---- reading: the reading-role holder only

  /**
   * Reads plaintext into {@code dst} without waiting: what earlier reads left over, then records
   * from the socket, as far as they are whole and {@code dst} has room.
   *
   * @return the bytes read, or -1 at the daemon's close_notify or end of stream
   */
  @Override
  public int read(ByteBuffer dst) throws IOException {
    int before = dst.position();
    boolean drained = false; // the last socket read did not fill the room it had
    while (dst.hasRemaining()) {
      if (appIn.hasRemaining()) {
        handOver(dst);
      } else if (inboundClosed) {
        break;
      } else if (netIn.position() > 0 && unwrapInto(dst)) {
        continue;
      } else if (drained) {
        break;
      } else {
        if (!netIn.hasRemaining()) {
          netIn = grow(netIn, netIn.capacity() * 2); // a record larger than the buffer
        }
        int room = netIn.remaining();
        int n = socket.read(netIn);
        if (n < 0) {
          inboundClosed = true;
        }
        drained = n < room;
      }
    }
    moreInput = appIn.hasRemaining() || (!inboundClosed && (netIn.position() > 0 || !drained));
    int read = dst.position() - before;
    return read == 0 && inboundClosed ? -1 : read;
  }

  /** Whether the last {@link #read} may have left plaintext or ciphertext behind: read again. */
  boolean hasMoreInput() {
    return moreInput;
  }

  /** Unwraps one record, into {@code dst} if one fits there whole; false if none is whole yet. */
  private boolean unwrapInto(ByteBuffer dst) throws IOException {
    boolean direct = dst.remaining() >= appRoom;
    netIn.flip();
    SSLEngineResult r;
    try {
      if (direct) {
        r = engine.unwrap(netIn, dst);
      } else {
        appIn.compact();
        try {
          r = engine.unwrap(netIn, appIn);
        } finally {
          appIn.flip();
        }
      }
    } finally {
      netIn.compact();
    }
    afterOwnMessages(r.getHandshakeStatus());
    switch (r.getStatus()) {
      case CLOSED -> {
        inboundClosed = true;
        return true;
      }
      case BUFFER_UNDERFLOW -> {
        if (!netIn.hasRemaining()) {
          netIn = grow(netIn, Math.max(netIn.capacity() * 2, engine.getSession().getPacketBufferSize()));
        }
        return false;
      }
      case BUFFER_OVERFLOW -> { // the session's records grew: so does the room asked of a direct unwrap
        appRoom = Math.max(appRoom * 2, engine.getSession().getApplicationBufferSize());
        appIn = grow(appIn.compact(), appIn.capacity() + appRoom).flip();
        return true;
      }
      default -> {
        return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
      }
    }
  }

  /** With the handshake done: a delegated task runs here; a message the engine must send is marked. */
  private void afterOwnMessages(HandshakeStatus hs) {
    if (hs == HandshakeStatus.NEED_TASK) {
      runTasks();
      hs = engine.getHandshakeStatus();
    }
    if (hs == HandshakeStatus.NEED_WRAP) {
      wrapWanted = true;
      answerNow.run();
    }
  }

  /** During the handshake: unwraps one record; false if none is whole yet. */
  private boolean unwrapOnce() throws IOException {
    netIn.flip();
    SSLEngineResult r;
    appIn.compact();
    try {
      r = engine.unwrap(netIn, appIn);
    } finally {
      appIn.flip();
      netIn.compact();
    }
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLException("the daemon closed TLS during the handshake");
    }
    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !netIn.hasRemaining()) {
      netIn = grow(netIn, netIn.capacity() * 2);
    }
    return r.getStatus() == SSLEngineResult.Status.OK;
  }

  private void handOver(ByteBuffer dst) {
    int n = Math.min(dst.remaining(), appIn.remaining());
    dst.put(dst.position(), appIn, appIn.position(), n);
    dst.position(dst.position() + n);
    appIn.position(appIn.position() + n);
  }

  // ---- writing: the write-lock holder only

  @Override
  public int write(ByteBuffer src) throws IOException {
    return (int) write(new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return write(srcs, 0, srcs.length);
  }

  /**
   * Wraps and writes what the socket takes now, after anything left from earlier writes.
   *
   * @return the plaintext bytes taken; their records may still wait for {@link #flush}
   */
  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long taken = 0;
    while (flush() && remaining(srcs, offset, length)) {
      while (netOut.remaining() >= packetRoom && remaining(srcs, offset, length)) {
        SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          throw new ClosedChannelException(); // closed for writing by close(): the connection ends
        }
        taken += r.bytesConsumed();
        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          runTasks();
        }
      }
    }
    return taken;
  }

  private static boolean remaining(ByteBuffer[] srcs, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (srcs[i].hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wraps any message of the engine's own (a key update's answer, the close_notify), then writes
   * the buffered records as far as the socket takes them.
   *
   * @return whether nothing is left to write
   */
  boolean flush() throws IOException {
    boolean own = wrapWanted;
    if (own) {
      wrapWanted = false;
      wrapOwn();
    }
    if (netOut.position() == 0) {
      return true;
    }
    netOut.flip();
    try {
      socket.write(netOut);
    } finally {
      netOut.compact();
    }
    unwritten = netOut.position() > 0;
    if (own) {
      answered.run();
    }
    return !unwritten;
  }

  /** Whether {@link #flush} has work: records not yet written, or a message the engine must send. */
  boolean hasPendingOutput() {
    return unwritten || wrapWanted;
  }

  private void wrapOwn() throws IOException {
    boolean closing = closeRequested && !closeWrapped; // the close_notify, whatever the status says
    while (closing || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      SSLEngineResult r = engine.wrap(NOTHING, netOut);
      if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
        runTasks();
      }
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
        closeWrapped = true;
        return;
      }
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || r.bytesProduced() == 0) {
        wrapWanted |= r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW; // the rest after this flush
        return;
      }
      closing = false;
    }
  }

  /** Ends the writing side of TLS: the close_notify goes out with the next {@link #flush}. */
  void closeOutbound() {
    engine.closeOutbound();
    closeRequested = true;
    wrapWanted = true;
  }

  private void runTasks() {
    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
      task.run();
    }
  }

  private static ByteBuffer grow(ByteBuffer writeMode, int capacity) {
    ByteBuffer b = ByteBuffer.allocate(capacity);
    writeMode.flip();
    b.put(writeMode);
    return b;
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The daemon answered a TLS client in plain jmanager framing: it does not have TLS on. */
  static final class NotTlsException extends IOException {
    NotTlsException(String message) {
      super(message);
    }
  }
}
