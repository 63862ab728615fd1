package io.jmanager.client.internal;

import io.jmanager.client.CallTimeoutException;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Pipeline;
import io.jmanager.wire.Message;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Pipeline} of one manager and thread. While {@link #add} runs its lambda, this pipeline
 * is the thread's {@linkplain #current current} one and {@link RealManager#call} hands the remote
 * call to {@link #capture}: the call is registered, encoded into a local buffer and answered by a
 * placeholder; its future completes in whichever thread reads the answer.
 */
final class RealPipeline implements Pipeline {
  private static final ThreadLocal<RealPipeline> CURRENT = new ThreadLocal<>();
  static final int FLUSH_BYTES = 64 << 10;
  static final int MAX_IN_FLIGHT = 4096;

  private final RealManager manager;
  private Connection connection; // its calls' connection, from the first call on; null before
  private final long callTimeoutNanos;
  private final Thread owner = Thread.currentThread();
  private final FrameWriter.FrameBuffer buffer = new FrameWriter.FrameBuffer();
  private final ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
  private final List<Future<?>> unsent = new ArrayList<>(); // buffered: their call timeouts start at flush
  private Future<?> captured; // the remote call made by the lambda add() is running
  private Method inDefault; // the default method running inside add(), if any
  private boolean closed;

  RealPipeline(RealManager manager, long callTimeoutNanos) {
    this.manager = manager;
    this.callTimeoutNanos = callTimeoutNanos;
  }

  /** The pipeline {@code manager}'s calls in this thread go to, or null. */
  static RealPipeline current(RealManager manager) {
    RealPipeline p = CURRENT.get();
    return p != null && p.manager == manager ? p : null;
  }

  @Override
  public <T> CompletableFuture<T> add(Call<T> call) {
    return run(call::call);
  }

  @Override
  public CompletableFuture<Void> add(Action action) {
    return run(() -> {
      action.run();
      return null;
    });
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> CompletableFuture<T> run(Callable<T> lambda) {
    if (closed) {
      throw new IllegalStateException("this pipeline is closed");
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("a pipeline belongs to the thread that made it (" + owner.getName() + ")");
    }
    if (CURRENT.get() != null) {
      throw new IllegalStateException("pipelines do not nest");
    }
    captured = null;
    CURRENT.set(this);
    T value;
    try {
      value = lambda.call();
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    } finally {
      CURRENT.remove();
    }
    return captured != null ? (CompletableFuture<T>) captured : CompletableFuture.completedFuture(value);
  }

  /** Runs a proxy's default method inside {@link #add}: one that calls the daemon is refused. */
  Object inDefaultMethod(Method method, DefaultBody body) throws Throwable {
    Method outer = inDefault;
    inDefault = outer != null ? outer : method;
    try {
      return body.run();
    } finally {
      inDefault = outer;
    }
  }

  /** A default method's invocation. */
  interface DefaultBody {
    Object run() throws Throwable;
  }

  /**
   * Sends the call without waiting; returns the placeholder the proxy method answers with. On a
   * pipeline whose connection is lost, the call's future fails with {@link ConnectionLostException}
   * (a new pipeline uses the next connection).
   */
  Object capture(ProxyHandler h, ProxyMethods.Info info, Object[] args) {
    Method m = info.method();
    if (inDefault != null) {
      throw new IllegalArgumentException(
          inDefault.getName() + "() runs in the caller as several calls; it cannot be pipelined");
    }
    if (info.blocking()) {
      throw new IllegalArgumentException(m.getName() + "() may wait on the daemon; it cannot be pipelined");
    }
    if (captured != null) {
      throw new IllegalStateException(
          "a pipelined lambda makes one remote call; this one also called " + m.getName() + "()");
    }
    long deadline = Connection.deadline(callTimeoutNanos);
    if (connection == null) {
      connection = manager.link(deadline); // while reconnecting: waits for it, within the call timeout
    }
    int objectId = h.objectIdOn(connection, deadline);
    Future<Object> f = new Future<>(this, m);
    long thread = owner.getId();
    f.callId = connection.send(id -> new Message.Call(id, objectId, info.id(), args, thread), f.slot, buffer);
    captured = f;
    inFlight.add(f);
    unsent.add(f);
    if (buffer.size() >= FLUSH_BYTES) {
      flush();
    }
    while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
      inFlight.poll();
    }
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      flush();
      awaitQuietly(inFlight.poll());
    }
    return placeholder(m.getReturnType());
  }

  private static Object placeholder(Class<?> type) {
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == char.class) {
      return '\0';
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == float.class) {
      return 0f;
    }
    if (type == byte.class) {
      return (byte) 0;
    }
    if (type == short.class) {
      return (short) 0;
    }
    return 0;
  }

  @Override
  public synchronized void flush() {
    if (connection == null) {
      return; // no call yet
    }
    try {
      connection.write(buffer);
    } catch (ConnectionLostException lost) {
      // every call in flight has failed with it; their futures say so
    }
    long deadline = Connection.deadline(callTimeoutNanos);
    unsent.forEach(f -> f.deadline = deadline);
    unsent.clear();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      flush();
    }
    for (Future<?> f; (f = inFlight.poll()) != null; ) {
      try {
        f.await(true, 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException impossible) {
        throw new AssertionError(impossible);
      }
    }
  }

  private void awaitQuietly(Future<?> f) {
    try {
      f.await(false, 0);
    } catch (InterruptedException | TimeoutException impossible) {
      throw new AssertionError(impossible);
    }
  }

  /**
   * The future of one pipelined call (or of an action depending on one): completed from its answer
   * in the thread that reads it. {@code get} and {@code join} first send what the pipeline has
   * buffered, then wait, reading for every caller if no other thread is; each waiting thread waits
   * on a slot of its own, so any number of threads may wait on one future.
   */
  static final class Future<T> extends CompletableFuture<T> {
    private final RealPipeline pipeline;
    final PendingCall slot; // the call's, for a future of a call; null for a dependent action's
    long callId;
    volatile long deadline; // set when the call is written

    Future(RealPipeline pipeline, Method method) {
      this.pipeline = pipeline;
      this.slot = method == null ? null : new PendingCall(outcome -> settle(outcome, method));
    }

    @SuppressWarnings("unchecked")
    private void settle(Object outcome, Method method) {
      if (outcome instanceof Message.Reply r) {
        complete((T) r.value());
      } else if (outcome instanceof Message m) {
        completeExceptionally(Failures.toThrowable(m, method));
      } else {
        completeExceptionally((Throwable) outcome);
      }
    }

    /**
     * Sends the pipeline's buffer and waits until done, or until {@code untilNanos} (0: no limit
     * but the call's own timeout). A call whose timeout passes fails with {@link
     * CallTimeoutException} and the daemon is told to drop it.
     */
    void await(boolean interruptible, long untilNanos) throws InterruptedException, TimeoutException {
      if (isDone()) {
        return;
      }
      pipeline.flush();
      PendingCall mine = new PendingCall();
      whenComplete((value, failure) -> mine.complete(Boolean.TRUE));
      long callDeadline = slot == null ? 0 : deadline;
      boolean callFirst = untilNanos == 0 || callDeadline != 0 && callDeadline - untilNanos < 0;
      try {
        pipeline.connection.await(mine, callFirst ? callDeadline : untilNanos, interruptible);
      } catch (TimeoutException e) {
        if (!callFirst) {
          throw e;
        }
        if (pipeline.connection.abandon(callId)) {
          completeExceptionally(new CallTimeoutException(
              "no answer from the daemon within " + Duration.ofNanos(pipeline.callTimeoutNanos).toMillis() + " ms"));
        } else {
          pipeline.connection.awaitArriving(slot); // answered as the time ran out: take it
        }
      }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      try {
        await(true, 0);
      } catch (TimeoutException impossible) {
        throw new AssertionError(impossible);
      }
      return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
      await(true, Connection.deadline(Math.max(1, unit.toNanos(timeout))));
      return super.get();
    }

    @Override
    public T join() {
      try {
        await(false, 0);
      } catch (InterruptedException | TimeoutException impossible) {
        throw new AssertionError(impossible);
      }
      return super.join();
    }

    /** Dependent actions ({@code thenApply}, ...) are futures that send and wait the same way. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new Future<>(pipeline, null);
    }
  }
}
