package io.jmanager.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing half of a {@link Connection}: whole frames onto a non-blocking socket, from any
 * thread. A writer takes the write lock and writes its frame itself; a writer that finds the lock
 * taken leaves a copy of its frame in the outbox and returns. The lock holder writes everything in
 * the outbox before letting go (one gathering write carries the frames of all threads that wrote at
 * once), and whoever releases the lock looks at the outbox once more. A frame can still be left
 * behind by a holder that must not wait (the heartbeat's {@link #tryPing}), so every thread about
 * to wait for an answer first calls {@link #flushOutbox()}: the frame's own sender writes it. One
 * thread's frames go out in the order it sent them. The reading thread {@linkplain #queue queues}
 * its Pongs without writing: they go out with the next call's frame, or with the heartbeat's tick.
 *
 * <p>When the socket is full (the daemon reads slower than we write) a writer waits on its own
 * selector, which an interrupt only wakes. Big frames are written in slices, so the JDK's per-thread
 * cache of temporary direct buffers never holds more than a slice. Any {@link IOException} means
 * the connection is unusable; the caller declares it lost.
 *
 * <p>With TLS the frames go through a {@link TlsChannel}, which may take a frame whole and still
 * hold some of its records; a writer that may wait writes them out before it lets the lock go, and
 * the heartbeat's {@link #tryFlush} and every {@link #flushOutbox} look for records a writer that
 * must not wait left behind.
 */
final class FrameWriter {
  private static final int BATCH = 16;
  private static final int SLICE = 256 << 10;

  private final SocketChannel socket;
  private final TlsChannel tls; // null: plain
  private final GatheringByteChannel channel; // the socket, or TLS over it
  private final Selector writable; // used by the lock holder only
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedDeque<byte[]> outbox = new ConcurrentLinkedDeque<>();
  private volatile long lastWriteNanos = System.nanoTime();

  FrameWriter(SocketChannel socket, TlsChannel tls, Selector writable) {
    this.socket = socket;
    this.tls = tls;
    this.channel = tls != null ? tls : socket;
    this.writable = writable;
  }

  long lastWriteNanos() {
    return lastWriteNanos;
  }

  /**
   * Writes {@code frame[0, n)} now, after whatever the outbox holds (in the same write), or leaves
   * a copy for the thread holding the lock.
   */
  void send(byte[] frame, int n) throws IOException {
    if (lock.tryLock()) {
      try {
        writeAfterOutbox(ByteBuffer.wrap(frame, 0, n));
        drainOutbox();
      } finally {
        lock.unlock();
      }
    } else {
      outbox.add(Arrays.copyOf(frame, n));
    }
    flushOutbox();
  }

  /**
   * Leaves {@code frame} (whole, never changed afterwards) in the outbox without waiting or
   * writing: the next {@link #send}, {@link #flushOutbox}, {@link #tryFlush} or {@link #tryPing}
   * writes it. For the reading thread, which must never wait on the write lock.
   */
  void queue(byte[] frame) {
    outbox.add(frame);
  }

  /** Writes {@code frames[0, n)} (whole frames, one after another), waiting for the lock. */
  void sendAll(byte[] frames, int n) throws IOException {
    lock.lock();
    try {
      drainOutbox();
      writeAll(new ByteBuffer[] {ByteBuffer.wrap(frames, 0, n)}, 1);
    } finally {
      lock.unlock();
    }
    flushOutbox();
  }

  /**
   * For the heartbeat thread, which must never wait on one connection: if the lock is free, writes
   * what the outbox holds as far as the socket takes it without waiting, then {@code ping} if the
   * outbox is empty. A frame only partly written goes back to the head of the outbox, ahead of
   * anything queued meanwhile, so frames never interleave.
   *
   * @return whether the ping was written (wholly, or its rest queued first)
   */
  boolean tryPing(byte[] ping) throws IOException {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      return writeOutboxWithoutWaiting() && writeWithoutWaiting(ping);
    } finally {
      lock.unlock();
    }
  }

  /**
   * For the heartbeat thread: as {@link #tryPing} without the ping, if the outbox holds anything.
   *
   * @return whether the outbox is empty now
   */
  boolean tryFlush() throws IOException {
    if ((outbox.isEmpty() && !tlsPending()) || !lock.tryLock()) {
      return outbox.isEmpty();
    }
    try {
      return writeOutboxWithoutWaiting();
    } finally {
      lock.unlock();
    }
  }

  /**
   * For closing: writes the outbox, waiting for the lock and for room in the socket until {@code
   * deadlineNanos} ({@link System#nanoTime()}) at most.
   *
   * @return whether the outbox was written out
   */
  boolean flushBefore(long deadlineNanos) throws IOException {
    try {
      if (!lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return outbox.isEmpty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return outbox.isEmpty();
    }
    try {
      while (!writeOutboxWithoutWaiting()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        selectWritable(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held: writes the outbox as far as the socket takes it now; true if emptied. */
  private boolean writeOutboxWithoutWaiting() throws IOException {
    if (tls != null && !tls.flush()) {
      return false;
    }
    for (byte[] f; (f = outbox.pollFirst()) != null; ) {
      if (!writeWithoutWaiting(f)) {
        return false;
      }
    }
    return true;
  }

  /** With the lock held: writes what the socket takes now; an unwritten rest goes first in line. */
  private boolean writeWithoutWaiting(byte[] frame) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(frame);
    channel.write(b);
    if (b.position() > 0) {
      lastWriteNanos = System.nanoTime();
    }
    if (b.hasRemaining()) {
      outbox.addFirst(b.position() == 0 ? frame : Arrays.copyOfRange(frame, b.position(), frame.length));
      return false;
    }
    return tls == null || tls.flush(); // TLS: taken whole, but its records may wait for room
  }

  /** Writes what other threads left in the outbox, if the lock is free; repeats while it refills. */
  void flushOutbox() throws IOException {
    while ((!outbox.isEmpty() || tlsPending()) && lock.tryLock()) {
      try {
        drainOutbox();
      } finally {
        lock.unlock();
      }
    }
  }

  /** With the lock held: writes {@code own} after every frame in the outbox, in one write if few. */
  private void writeAfterOutbox(ByteBuffer own) throws IOException {
    ByteBuffer[] batch = new ByteBuffer[outbox.isEmpty() ? 1 : BATCH];
    int n = 0;
    for (byte[] f; n < batch.length - 1 && (f = outbox.pollFirst()) != null; ) {
      batch[n++] = ByteBuffer.wrap(f);
    }
    if (!outbox.isEmpty()) { // more than a batch waited (or one came meanwhile): all go first
      if (n > 0) {
        writeAll(batch, n);
      }
      drainOutbox();
      n = 0;
    }
    batch[n++] = own;
    writeAll(batch, n);
  }

  /** With the lock held: writes every frame in the outbox, many per write. */
  private void drainOutbox() throws IOException {
    if (outbox.isEmpty()) {
      flushTls(); // records a writer that must not wait left behind
      return;
    }
    ByteBuffer[] batch = new ByteBuffer[BATCH];
    while (!outbox.isEmpty()) {
      int n = 0;
      for (byte[] f; n < batch.length && (f = outbox.pollFirst()) != null; ) {
        batch[n++] = ByteBuffer.wrap(f);
      }
      writeAll(batch, n);
    }
  }

  /** With the lock held: writes all of {@code frames[0, n)}, waiting while the socket is full. */
  private void writeAll(ByteBuffer[] frames, int n) throws IOException {
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += frames[i].remaining();
    }
    if (total <= SLICE) {
      while (frames[n - 1].hasRemaining()) {
        if (channel.write(frames, 0, n) == 0) {
          awaitWritable();
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        writeSliced(frames[i]);
      }
    }
    flushTls();
    lastWriteNanos = System.nanoTime();
  }

  /** With the lock held: writes every TLS record still buffered, waiting for room; the lock is never let go with any. */
  private void flushTls() throws IOException {
    if (tls != null) {
      while (!tls.flush()) {
        awaitWritable();
      }
    }
  }

  /**
   * For the reading thread, which must never wait: writes what TLS wants to send by itself (a key
   * update's answer) if the lock is free; else the holder writes it before it lets go.
   */
  void tryFlushTls() {
    if (lock.tryLock()) {
      try {
        tls.flush();
      } catch (IOException e) {
        // the socket failed: the reader's next read, or the next writer, finds it and says so
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean tlsPending() {
    return tls != null && tls.hasPendingOutput();
  }

  /**
   * For closing, after {@link #flushBefore}: ends this side's stream, with TLS's close_notify first
   * (written until {@code deadlineNanos} at most), then the socket's half-close.
   *
   * @return whether the stream was ended
   */
  boolean shutdownOutput(long deadlineNanos) throws IOException {
    if (tls != null) {
      tls.closeOutbound();
      if (!flushBefore(deadlineNanos)) {
        return false;
      }
    }
    socket.shutdownOutput();
    return true;
  }

  private void writeSliced(ByteBuffer frame) throws IOException {
    while (frame.hasRemaining()) {
      ByteBuffer slice = frame.duplicate();
      slice.limit(slice.position() + Math.min(SLICE, slice.remaining()));
      int written = channel.write(slice);
      frame.position(frame.position() + written);
      if (written == 0) {
        awaitWritable();
      }
    }
  }

  /** Waits (at most a tenth of a second) for room in the socket; keeps an interrupt for later. */
  private void awaitWritable() throws IOException {
    boolean interrupted = Thread.interrupted(); // select returns at once while the flag is set
    try {
      selectWritable(100);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void selectWritable(long timeoutMillis) throws IOException {
    try {
      writable.select(timeoutMillis);
      writable.selectedKeys().clear();
    } catch (ClosedSelectorException lost) {
      throw new AsynchronousCloseException(); // the connection was closed meanwhile
    }
  }

  /** Frames encoded by one thread, to be written together with {@link #sendAll}. Not thread-safe. */
  static final class FrameBuffer {
    private byte[] bytes = new byte[8192];
    private int size;

    void append(byte[] frame, int n) {
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
      }
      System.arraycopy(frame, 0, bytes, size, n);
      size += n;
    }

    int size() {
      return size;
    }

    /** Writes the buffered frames through {@code writer} and empties the buffer, even on failure. */
    void writeTo(FrameWriter writer) throws IOException {
      if (size == 0) {
        return;
      }
      try {
        writer.sendAll(bytes, size);
      } finally {
        size = 0;
      }
    }
  }
}
