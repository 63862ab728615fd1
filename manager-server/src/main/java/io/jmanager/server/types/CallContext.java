package io.jmanager.server.types;

/**
 * What a shared type sees of the call it serves, when its method takes a {@code CallContext} as the
 * first parameter: who is calling, and the means to answer later. A method that cannot answer at
 * once returns {@link #park()}'s {@link Pending} and completes it when it can: the daemon parks no
 * thread for it.
 */
public interface CallContext {
  /** The calling session (one per client connection). */
  long sessionId();

  /** The calling thread's id in the client process. */
  long threadId();

  /** The client process id. */
  long pid();

  /** An answer to give later; return it from the method. */
  Pending park();

  /** Runs {@code task} on the daemon's scheduler after {@code delayNanos}; returns its canceller. */
  Runnable schedule(Runnable task, long delayNanos);
}
