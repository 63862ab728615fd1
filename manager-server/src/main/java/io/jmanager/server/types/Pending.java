package io.jmanager.server.types;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A parked call: answered exactly once, by {@link #complete}, {@link #fail}, its timeout, or by
 * being abandoned (the client cancelled it, or its session closed). The first of these wins; the
 * others return {@code false}, so a type that hands an item to a waiter whose {@code complete}
 * returns false simply tries the next waiter and loses nothing.
 *
 * <p>Thread-safe: any thread may complete it (a put on one connection answers a take parked by
 * another).
 */
public final class Pending {
  /** How the daemon delivers the answer: (value, null) or (null, failure). */
  public interface Sink extends BiConsumer<Object, Throwable> {}

  private static final int WAITING = 0;
  private static final int DONE = 1;
  private static final int ABANDONED = 2;

  private final AtomicInteger state = new AtomicInteger(WAITING);
  private final Sink sink;
  private final CallContext context;
  private volatile Runnable cleanup = () -> {};
  private volatile Runnable cancelTimer = () -> {};
  private volatile java.util.function.Consumer<Throwable> cancelHandler;
  private final long sinceNanos = System.nanoTime();

  /**
   * Creates a waiting answer; shared types get theirs from {@link CallContext#park()}.
   *
   * @param context the call it answers
   * @param sink where the one answer goes
   */
  public Pending(CallContext context, Sink sink) {
    this.context = context;
    this.sink = sink;
  }

  /** {@return {@link System#nanoTime()} when the call parked: how long a waiter has waited} */
  public long sinceNanos() {
    return sinceNanos;
  }

  /** {@return the call this answer belongs to} */
  public CallContext context() {
    return context;
  }

  /**
   * Registers what undoes the wait (e.g. removes this waiter from a queue) if it is abandoned or
   * times out; replaces any registered before.
   *
   * @param cleanup runs once, on the abandoning thread; it may take the object's lock
   * @return this
   */
  public Pending onAbandon(Runnable cleanup) {
    this.cleanup = cleanup;
    return this;
  }

  /**
   * Replaces the default reaction to a client's cancel (abandon at once) for waits that must do
   * something first: a condition waiter re-acquires its lock before failing, as {@code
   * Condition.await} does. The handler answers the call itself, later.
   *
   * @param handler gets the cancel's reason; runs only while the wait is still waiting
   * @return this
   */
  public Pending onCancel(java.util.function.Consumer<Throwable> handler) {
    this.cancelHandler = handler;
    return this;
  }

  /**
   * The client interrupted the waiting thread: the cancel handler if any, else {@link #abandon}.
   *
   * @param reason the failure to answer with
   */
  public void cancel(Throwable reason) {
    java.util.function.Consumer<Throwable> handler = cancelHandler;
    if (handler != null && isWaiting()) {
      handler.accept(reason);
    } else {
      abandon(reason);
    }
  }

  /**
   * {@link #fail} if {@code outcome} is a Throwable, else {@link #complete}.
   *
   * @param outcome a value or a failure
   * @return whether this answered the call; false if it was answered or abandoned first
   */
  public boolean answer(Object outcome) {
    return outcome instanceof Throwable t ? fail(t) : complete(outcome);
  }

  /**
   * Answers {@code onTimeout} (a value, or a Throwable to fail with) after {@code nanos}. The timer
   * decides outside the object's lock (this wait's one answer goes to whichever of it and a grant
   * comes first) and only then runs the cleanup, which takes the lock. A grant made in between gets
   * {@code false} from {@link #complete} and must keep what it offered or pass it to the next
   * waiter, as every type does ({@code TimedWaitsTest} freezes that moment for each). A verdict that
   * depends on the other waiters needs {@link #decideTimeoutAfter} instead.
   *
   * @param nanos the timeout; zero or less expires now
   * @param onTimeout the answer on timeout: a value (such as {@code false} or {@code null}), or a
   *     Throwable to fail with
   * @return this, to return from the parking method
   */
  public Pending timeoutAfter(long nanos, Object onTimeout) {
    if (nanos <= 0) {
      expire(onTimeout);
      return this;
    }
    cancelTimer = context.schedule(() -> expire(onTimeout), nanos);
    if (state.get() != WAITING) {
      cancelTimer.run();
    }
    return this;
  }

  /**
   * Runs {@code onTimeout} after {@code nanos} unless the wait is answered first. For a type whose
   * timeout verdict depends on its other waiters (a barrier: exactly one party times out, the rest
   * see it broken), {@code onTimeout} takes the object's lock and decides there, then answers this
   * wait itself.
   *
   * @param nanos the timeout; zero or less runs {@code onTimeout} at once on the scheduler
   * @param onTimeout decides and answers; runs on the scheduler's thread
   * @return this, to return from the parking method
   */
  public Pending decideTimeoutAfter(long nanos, Runnable onTimeout) {
    cancelTimer = context.schedule(() -> {
      if (isWaiting()) {
        onTimeout.run();
      }
    }, Math.max(0, nanos));
    if (state.get() != WAITING) {
      cancelTimer.run();
    }
    return this;
  }

  private void expire(Object onTimeout) {
    if (state.compareAndSet(WAITING, DONE)) {
      cleanup.run();
      deliver(onTimeout);
    }
  }

  /**
   * Answers {@code value} and cancels the timeout.
   *
   * @param value the call's result
   * @return whether this answered the call; false if it was answered or abandoned first, and the
   *     caller keeps what it offered
   */
  public boolean complete(Object value) {
    if (!state.compareAndSet(WAITING, DONE)) {
      return false;
    }
    cancelTimer.run();
    sink.accept(value, null);
    return true;
  }

  /**
   * Answers with an exception and cancels the timeout.
   *
   * @param t the exception the client's call throws
   * @return whether this answered the call; false if it was answered or abandoned first
   */
  public boolean fail(Throwable t) {
    if (!state.compareAndSet(WAITING, DONE)) {
      return false;
    }
    cancelTimer.run();
    sink.accept(null, t);
    return true;
  }

  /**
   * Abandons the wait (client cancel or session close): runs the cleanup and answers {@code
   * reason} as a failure.
   *
   * @param reason the failure to answer with
   * @return whether this ended the wait; false if it was answered first
   */
  public boolean abandon(Throwable reason) {
    if (!state.compareAndSet(WAITING, ABANDONED)) {
      return false;
    }
    cancelTimer.run();
    cleanup.run();
    sink.accept(null, reason);
    return true;
  }

  /**
   * {@return whether the call is still unanswered} A snapshot: another thread may answer it next.
   */
  public boolean isWaiting() {
    return state.get() == WAITING;
  }

  private void deliver(Object outcome) {
    if (outcome instanceof Throwable t) {
      sink.accept(null, t);
    } else {
      sink.accept(outcome, null);
    }
  }
}
