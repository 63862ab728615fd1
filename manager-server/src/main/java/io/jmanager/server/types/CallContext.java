package io.jmanager.server.types;

/**
 * What a shared type sees of the call it serves, when its method takes a {@code CallContext} as the
 * first parameter: who is calling, and the means to answer later. A method that cannot answer at
 * once returns {@link #park()}'s {@link Pending} and completes it when it can: the daemon parks no
 * thread for it.
 */
public interface CallContext {
  /** {@return the calling session's id (one per client connection)} */
  long sessionId();

  /** {@return the calling thread's id in the client process: with the session, a lock's owner} */
  long threadId();

  /** {@return the client's process id, as it announced it} */
  long pid();

  /** {@return a new answer to give later, for this call; return it from the method} */
  Pending park();

  /**
   * Runs {@code task} on the daemon's scheduler after {@code delayNanos}.
   *
   * @param task what to run; it must not block
   * @param delayNanos the delay, in nanoseconds
   * @return a canceller: running it keeps {@code task} from running, if it has not yet
   */
  Runnable schedule(Runnable task, long delayNanos);
}
