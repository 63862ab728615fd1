package io.jmanager.client;

import java.util.concurrent.CompletableFuture;

/**
 * Calls sent without waiting for their answers, whose results come back as futures: many small
 * calls for the price of a few round trips. Every call made through a proxy of this pipeline's
 * {@link Manager} inside {@link #add} is sent without waiting; {@link #close()} waits for all of
 * them.
 *
 * <pre>{@code
 * try (Pipeline p = m.pipeline()) {
 *   for (var e : batch.entrySet()) {
 *     p.add(() -> prices.put(e.getKey(), e.getValue()));        // sent at once, no wait
 *   }
 *   CompletableFuture<Price> acme = p.add(() -> prices.get("ACME"));
 * }                                                              // close(): waits for every call
 * }</pre>
 *
 * <p>Each {@code add} runs its lambda in the caller; the lambda makes at most one remote call
 * (any proxy type, user types included), whose answer completes the returned future. Inside the
 * lambda the proxy method returns at once with a placeholder ({@code null}, {@code 0} or {@code
 * false}): use the future, not that value. A lambda that makes no remote call completes its future
 * with what it returns. Refused, with the future failing at once: a second remote call in one
 * lambda ({@link IllegalStateException}), and methods that run in the caller as several calls
 * (defaults such as {@code merge} or {@code computeIfAbsent}) or that may wait on the daemon
 * ({@code take}, {@code lock}, ...) ({@link IllegalArgumentException}).
 *
 * <p>A call that fails completes its own future exceptionally, with the exception the direct call
 * would have thrown; later calls are not affected. Calls are written in batches (when about 64 KiB
 * are buffered, on {@link #flush()}, on {@link #close()}, and when a future's {@code get} or {@code
 * join} waits); at most a few thousand are in flight at once, and {@code add} waits for the oldest
 * before sending more. On a lost connection every unfinished future fails with {@link
 * ConnectionLostException}. Each call has the manager's call timeout ({@link
 * CallTimeoutException}).
 *
 * <p>A pipeline belongs to the thread that made it: only that thread may {@code add}. Futures may
 * be awaited from any thread. Their dependent actions ({@code thenApply}, ...) run in whichever
 * client thread reads the answer: keep them short, or use the {@code *Async} forms.
 */
public interface Pipeline extends AutoCloseable {

  /**
   * Runs {@code call} in this thread with its remote call pipelined: sent without waiting for the
   * answer. Waits only when a few thousand calls are already in flight.
   *
   * @param call a lambda making at most one remote call
   * @param <T> the call's result type
   * @return a future completed with the call's answer, or with the exception the direct call would
   *     have thrown
   * @throws IllegalStateException if this pipeline is closed, or used from another thread
   */
  <T> CompletableFuture<T> add(Call<T> call);

  /**
   * As {@link #add(Call)}, for a call whose result is not wanted (or a void method).
   *
   * @param action a lambda making at most one remote call
   * @return a future completed when the call is answered, or with the exception it failed with
   * @throws IllegalStateException if this pipeline is closed, or used from another thread
   */
  CompletableFuture<Void> add(Action action);

  /** Writes the calls buffered so far now, without waiting for answers. */
  void flush();

  /**
   * Sends what is buffered and waits until every call of this pipeline is answered (or has failed
   * or timed out). If the waiting thread is interrupted, it stops waiting with its interrupt flag
   * set; the futures still complete. Idempotent; {@code add} after close is an {@link
   * IllegalStateException}.
   */
  @Override
  void close();

  /** A lambda making one remote call whose answer is wanted. */
  @FunctionalInterface
  interface Call<T> {
    /**
     * Makes the remote call, through a proxy, and returns its result.
     *
     * @return the proxy method's result: a placeholder while pipelined, the value otherwise
     * @throws Exception what the lambda throws completes the future exceptionally
     */
    T call() throws Exception;
  }

  /** A lambda making one remote call whose answer is not wanted. */
  @FunctionalInterface
  interface Action {
    /**
     * Makes the remote call, through a proxy.
     *
     * @throws Exception what the lambda throws completes the future exceptionally
     */
    void run() throws Exception;
  }
}
