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
    /** The end {@link SharedPipe#left()} returns. */
    LEFT,
    /** The end {@link SharedPipe#right()} returns. */
    RIGHT
  }

  /** One end of the pipe. */
  interface End {
    /**
     * Sends {@code message} to the other end, without waiting for it to be received: the pipe is
     * unbounded.
     *
     * @param message a value the wire can carry; the receiver gets a copy
     */
    void send(Object message);

    /**
     * Waits, for as long as it takes, for the next message from the other end and takes it.
     *
     * @param <T> the type the caller expects; a message of another type throws {@link
     *     ClassCastException} where it is assigned
     * @return the message
     * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops
     *     the wait, so no message is taken
     */
    <T> T recv() throws InterruptedException;

    /**
     * As {@link #recv()}, giving up after {@code timeout}.
     *
     * @param timeout the longest wait
     * @param <T> the type the caller expects
     * @return the message, or {@code null} if none came within {@code timeout}
     * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops
     *     the wait, so no message is taken
     */
    <T> T recv(Duration timeout) throws InterruptedException;

    /**
     * Waits up to {@code timeout} for a message to be available, without taking it.
     *
     * @param timeout the longest wait; {@link Duration#ZERO} asks without waiting
     * @return whether a message is waiting at this end
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    boolean poll(Duration timeout) throws InterruptedException;
  }

  /**
   * {@return the left end: it receives what the right end sends, and the other way round} Makes no
   * remote call.
   */
  default End left() {
    return new io.jmanager.client.internal.PipeEnd(this, Side.LEFT);
  }

  /** {@return the right end, usually the worker's} Makes no remote call. */
  default End right() {
    return new io.jmanager.client.internal.PipeEnd(this, Side.RIGHT);
  }

  /**
   * Sends from {@code from} to the other end (what {@link End#send} calls).
   *
   * @param from the sending end
   * @param message a value the wire can carry
   */
  void send(Side from, Object message);

  /**
   * Receives at {@code at}, waiting as long as it takes (what {@link End#recv()} calls).
   *
   * @param at the receiving end
   * @return the message
   * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops the
   *     wait, so no message is taken
   */
  Object recv(Side at) throws InterruptedException;

  /**
   * Receives at {@code at}, waiting up to {@code timeout} (what {@link End#recv(Duration)} calls).
   *
   * @param at the receiving end
   * @param timeout the longest wait
   * @return the message, or {@code null} if none came within {@code timeout}
   * @throws InterruptedException if this thread is interrupted while waiting; the daemon drops the
   *     wait, so no message is taken
   */
  Object recv(Side at, Duration timeout) throws InterruptedException;

  /**
   * Waits up to {@code timeout} for a message at {@code at}, without taking it (what {@link
   * End#poll} calls).
   *
   * @param at the receiving end
   * @param timeout the longest wait
   * @return whether a message is waiting at {@code at}
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  boolean poll(Side at, Duration timeout) throws InterruptedException;
}
