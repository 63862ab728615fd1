package io.jmanager.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The answer slot of one call: completed once (by whichever thread reads the answer, or by the
 * connection's loss), awaited by the calling thread through {@link Connection#await}, or handed to
 * a callback (a pipelined call's future).
 */
final class PendingCall {
  private final Consumer<Object> onDone; // null: a thread waits for the outcome
  private volatile Object outcome; // a Message, or a Throwable to rethrow
  volatile Thread waiter;
  /** Whether this slot is in its connection's queue of threads waiting to take the reading role. */
  final AtomicBoolean queued = new AtomicBoolean();

  /** A slot a thread will wait on. */
  PendingCall() {
    this(null);
  }

  /** A slot whose outcome goes to {@code onDone}, in the thread that reads it. */
  PendingCall(Consumer<Object> onDone) {
    this.onDone = onDone;
  }

  Object outcome() {
    return outcome;
  }

  boolean isDone() {
    return outcome != null;
  }

  private static final VarHandle OUTCOME;

  static {
    try {
      OUTCOME = MethodHandles.lookup().findVarHandle(PendingCall.class, "outcome", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Sets the outcome (the first one wins, atomically) and wakes the waiting thread, or runs the
   * callback: in this thread, except on the heartbeat thread, which must never run user code (a
   * pipelined future's dependent actions), where it goes to the common pool.
   */
  void complete(Object value) {
    if (!OUTCOME.compareAndSet(this, null, value)) {
      return;
    }
    if (onDone != null) {
      if (Heartbeats.isHeartbeatThread()) {
        ForkJoinPool.commonPool().execute(() -> onDone.accept(value));
      } else {
        onDone.accept(value);
      }
    }
    wake();
  }

  /** Unparks the waiting thread, if any: to take its outcome or to take the reading role. */
  void wake() {
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }
}
