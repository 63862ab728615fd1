package io.jmanager.client;

import java.time.Duration;

/**
 * A two-ended channel, Python's {@code Pipe()}: what one {@link End} sends, the other receives, in
 * order. Each direction is an unbounded FIFO on the daemon; {@code recv} waits parked on the daemon.
 * Typically the parent keeps {@link #left()} and passes the pipe's name to a worker, which uses
 * {@link #right()}. Thread-safe.
 */
public interface SharedPipe extends SharedObject {

  /** The two ends. */
  enum Side {
    LEFT,
    RIGHT
  }

  /** One end of the pipe. */
  interface End {
    /** Sends {@code message} to the other end. */
    void send(Object message);

    /** Waits for the next message from the other end. */
    <T> T recv() throws InterruptedException;

    /** As {@link #recv()}, giving up after {@code timeout} with {@code null}. */
    <T> T recv(Duration timeout) throws InterruptedException;

    /** Waits up to {@code timeout} for a message to be available, without taking it. */
    boolean poll(Duration timeout) throws InterruptedException;
  }

  default End left() {
    return new io.jmanager.client.internal.PipeEnd(this, Side.LEFT);
  }

  default End right() {
    return new io.jmanager.client.internal.PipeEnd(this, Side.RIGHT);
  }

  /** Sends from {@code from} to the other end (what {@link End#send} calls). */
  void send(Side from, Object message);

  /** Receives at {@code at} (what {@link End#recv()} calls). */
  Object recv(Side at) throws InterruptedException;

  /** Receives at {@code at}, or null after {@code timeout}. */
  Object recv(Side at, Duration timeout) throws InterruptedException;

  /** Whether a message is waiting at {@code at} within {@code timeout}. */
  boolean poll(Side at, Duration timeout) throws InterruptedException;
}
