package io.jmanager.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing half of a {@link Connection}: whole frames onto a non-blocking socket, from any
 * thread. A writer takes the write lock and writes its frame itself; a writer that finds the lock
 * taken leaves a copy of its frame in the outbox and returns. The lock holder writes everything in
 * the outbox before letting go (one gathering write carries the frames of all threads that wrote at
 * once), and whoever releases the lock looks at the outbox once more, so no frame is stranded: a
 * frame added while the lock is held is seen by the holder after it unlocks, or by its adder's own
 * retry if the lock came free. One thread's frames go out in the order it sent them.
 *
 * <p>When the socket is full (the daemon reads slower than we write) the lock holder waits on its
 * own selector, which an interrupt only wakes. Any {@link IOException} means the connection is
 * unusable; the caller declares it lost.
 */
final class FrameWriter {
  private static final int BATCH = 16;

  private final SocketChannel channel;
  private final Selector writable; // used by the lock holder only
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
  private volatile long lastWriteNanos = System.nanoTime();

  FrameWriter(SocketChannel channel, Selector writable) {
    this.channel = channel;
    this.writable = writable;
  }

  long lastWriteNanos() {
    return lastWriteNanos;
  }

  /** Writes {@code frame[0, n)} now, or leaves a copy for the thread holding the lock. */
  void send(byte[] frame, int n) throws IOException {
    if (outbox.isEmpty() && lock.tryLock()) {
      try {
        writeAll(new ByteBuffer[] {ByteBuffer.wrap(frame, 0, n)}, 1);
        drainOutbox();
      } finally {
        lock.unlock();
      }
    } else {
      outbox.add(Arrays.copyOf(frame, n));
    }
    flushOutbox();
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
   * Writes {@code frame} only if that needs no waiting (the lock is free and the socket takes at
   * least its first byte; a rest goes to the outbox): for the heartbeat thread, which must never
   * block on one connection.
   *
   * @return whether it was sent
   */
  boolean trySend(byte[] frame) throws IOException {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      drainOutbox();
      ByteBuffer b = ByteBuffer.wrap(frame);
      if (channel.write(b) == 0) {
        return false;
      }
      if (b.hasRemaining()) {
        outbox.add(Arrays.copyOfRange(frame, b.position(), frame.length));
      }
      lastWriteNanos = System.nanoTime();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Writes what other threads left in the outbox, if the lock is free; repeats while it refills. */
  private void flushOutbox() throws IOException {
    while (!outbox.isEmpty() && lock.tryLock()) {
      try {
        drainOutbox();
      } finally {
        lock.unlock();
      }
    }
  }

  /** With the lock held: writes every frame in the outbox, many per write. */
  private void drainOutbox() throws IOException {
    if (outbox.isEmpty()) {
      return;
    }
    ByteBuffer[] batch = new ByteBuffer[BATCH];
    while (!outbox.isEmpty()) {
      int n = 0;
      for (byte[] f; n < batch.length && (f = outbox.poll()) != null; ) {
        batch[n++] = ByteBuffer.wrap(f);
      }
      writeAll(batch, n);
    }
  }

  /** With the lock held: writes all of {@code frames[0, n)}, waiting while the socket is full. */
  private void writeAll(ByteBuffer[] frames, int n) throws IOException {
    boolean interrupted = false;
    try {
      while (frames[n - 1].hasRemaining()) {
        if (channel.write(frames, 0, n) == 0) {
          try {
            writable.select(100);
          } catch (ClosedSelectorException lost) {
            throw new AsynchronousCloseException(); // the connection was closed meanwhile
          }
          writable.selectedKeys().clear();
          interrupted |= Thread.interrupted(); // select returns at once while the flag is set
        }
      }
      lastWriteNanos = System.nanoTime();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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
