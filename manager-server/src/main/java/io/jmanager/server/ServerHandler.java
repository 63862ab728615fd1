package io.jmanager.server;

import io.jmanager.server.journal.DurableState;
import io.jmanager.server.journal.Effects;
import io.jmanager.server.journal.Journal;
import io.jmanager.server.journal.Recorder;
import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Pending;
import io.jmanager.wire.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.jmanager.client.DataLimitException;
import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated session's calls, on its event loop: dispatches each {@code Call} to its
 * object's invoker, answers binds, heartbeats, and flushes replies once per read batch (with the
 * Ping that confirms items handed over, see {@link Deliveries}). A bad call gets a {@code
 * Failure}; only a broken frame or a silent peer closes the connection.
 */
final class ServerHandler extends SimpleChannelInboundHandler<Message> {
  private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

  private final ManagerServer server;
  private final Session session;
  /** The size of the frame the message being read came in (for the data budget). */
  private final java.util.function.IntSupplier frameBytes;
  /**
   * While a storing call waits for a garbage collection (the data budget): that call and every
   * message after it, in order; reading from the socket is paused meanwhile. Null otherwise.
   */
  private ArrayDeque<Held> held;

  /** A message received while the session was held, and the size of the frame it came in. */
  private record Held(Message message, int frameBytes) {}

  ServerHandler(ManagerServer server, Session session, java.util.function.IntSupplier frameBytes) {
    this.server = server;
    this.session = session;
    this.frameBytes = frameBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    if (held != null && !(msg instanceof Message.Ping || msg instanceof Message.Pong)) {
      held.add(new Held(msg, frameBytes.getAsInt()));
      return;
    }
    handle(ctx, msg, frameBytes.getAsInt(), false);
  }

  private void handle(ChannelHandlerContext ctx, Message msg, int frameBytes, boolean collected) {
    if (msg instanceof Message.Call c) {
      call(ctx, c, frameBytes, collected);
    } else if (msg instanceof Message.Bind b) {
      java.util.concurrent.Executor cluster = server.clusterCalls();
      if (cluster != null) { // the cluster's directory answers: not on the event loop
        session.lane(cluster).execute(() -> ctx.channel().writeAndFlush(bind(b, true)));
      } else if (!collected && needsCollectionFirst(b)) {
        holdForCollection(ctx, b, frameBytes);
      } else {
        bindAndAnswer(ctx, b, collected);
      }
    } else if (msg instanceof Message.Unreadable u) {
      if (session.firstUnreadable()) {
        log.warn("{} sent a call the daemon cannot read (it fails; further ones are logged at debug): {}",
            session, u.cause().getMessage());
      } else {
        log.debug("{}: unreadable call: {}", session, u.cause().getMessage());
      }
      ctx.write(FailureMapper.of(u.callId(), u.cause()));
    } else if (msg instanceof Message.Ping) {
      ctx.write(new Message.Pong());
    } else if (msg instanceof Message.Cancel c) {
      session.cancel(c.callId());
    } else if (msg instanceof Message.Pong) {
      session.deliveries().pongRead(); // liveness itself is noted by the idle handler
    } else {
      log.warn("closing {}: unexpected {}", session, msg.getClass().getSimpleName());
      ctx.close();
    }
  }

  /**
   * Serves {@code c}: writes its answer (flushed with the read batch), or leaves it to the wait it
   * parked, to its object's queue off the event loop, or to the collection the data budget waits
   * for. An answer that hands items over is written through the session's {@link Deliveries}.
   */
  private void call(ChannelHandlerContext ctx, Message.Call c, int frameBytes, boolean collected) {
    if (!collected) {
      session.countCall();
      server.countCall();
    }
    ObjectRegistry.Entry e;
    MethodHandle invoker;
    try {
      e = server.registry().get(c.objectId());
      invoker = e.spec.invoker(c.methodId());
      if (invoker == null) {
        throw new IllegalArgumentException(e.describe() + " has no method " + c.methodId());
      }
      if (e.spec.stores(c.methodId())) {
        switch (server.budget().admit(frameBytes, collected)) {
          case STORE -> { }
          case COLLECT_FIRST -> {
            holdForCollection(ctx, c, frameBytes);
            return;
          }
          case REFUSE -> throw new DataLimitException(
              e.describe() + ": storing " + frameBytes + " more bytes would pass the daemon's data budget ("
                  + server.budget().used() + " of max.data.bytes=" + server.budget().budget()
                  + " bytes in use); nothing was changed");
        }
      }
    } catch (Throwable t) {
      fail(ctx.channel(), c, t, false);
      Metering metering = server.metering();
      if (metering != null) {
        metering.failed(t);
      }
      return;
    }
    if (e.spec.isUser()) {
      callOnUserPool(ctx, c, e, invoker);
      return;
    }
    long start = System.nanoTime();
    java.util.concurrent.Executor cluster = server.clusterCalls();
    if (cluster != null) { // cluster mode: every call waits for Hazelcast; the session's calls stay in order
      Channel channel = ctx.channel();
      session.lane(cluster).execute(() -> {
        if (channel.isActive()) {
          serve(channel, c, e, invoker, start, true);
        }
      });
      return;
    }
    if (e.offloaded.get() > 0 || start - e.slowUntil < 0 || e.spec.wholeObject(c.methodId())
        || (e.spec.bulk(c.methodId()) && bulkSize(c.args()) >= BULK_ELEMENTS)) {
      offload(ctx.channel(), c, e, invoker);
      return;
    }
    serve(ctx.channel(), c, e, invoker, start, false);
  }

  /**
   * Runs {@code c} here and answers it (flushed now if {@code flush}, else with the read batch),
   * or leaves it to the wait it parked; notes what it cost its object.
   */
  private void serve(
      Channel channel, Message.Call c, ObjectRegistry.Entry e, MethodHandle invoker, long start, boolean flush) {
    Journal journal = server.journal();
    try {
      CallContext context = e.spec.wantsContext(c.methodId()) ? new ServerCallContext(session, channel, c, e, journal, server.metering(), start) : null;
      Object result;
      if (journal == null) {
        result = (Object) invoker.invokeExact(e.instance, context, c.args());
      } else {
        journal.beginCall();
        result = journaled(journal, e, c, invoker, context);
      }
      noteCost(e, start, System.nanoTime());
      if (!(result instanceof Pending)) { // else its answer is written (and metered) when it completes
        long durableAt = journal == null ? 0 : journal.beforeReply();
        if (durableAt > 0) {
          journal.afterDurable(durableAt, () -> reply(channel, c, e, result, true));
        } else {
          reply(channel, c, e, result, flush);
        }
        Metering metering = server.metering();
        if (metering != null) {
          metering.answered(e.spec, c.methodId(), start);
        }
      }
    } catch (Throwable t) {
      fail(channel, c, t, flush);
      Metering metering = server.metering();
      if (metering != null) {
        metering.failed(e.spec, c.methodId(), start, t);
      }
    }
  }

  /**
   * Runs a call with the journal on: a mutating method of a type whose effects the journal
   * derives runs inside the object's monitor together with the recording of its effects, so the
   * object's records are in the order of its effects (see {@link Journal}); any other call (reads,
   * queues, which record themselves) runs as ever.
   */
  private static Object journaled(
      Journal journal, ObjectRegistry.Entry e, Message.Call c, MethodHandle invoker, CallContext context)
      throws Throwable {
    Recorder recorder = e.spec.recorder(c.methodId());
    if (recorder == null) {
      return (Object) invoker.invokeExact(e.instance, context, c.args());
    }
    synchronized (e.instance) {
      Object before = recorder.before(e.instance, c.args());
      Object result = (Object) invoker.invokeExact(e.instance, context, c.args());
      recorder.record(journal, e.id, e.instance, c.args(), result, before);
      return result;
    }
  }

  /** Answers {@code c} with {@code t}, unless it had parked: then dropping its wait answers it. */
  private void fail(Channel channel, Message.Call c, Throwable t, boolean flush) {
    if (t instanceof Error && !(t instanceof StackOverflowError)) {
      log.error("{}: call failed with an Error", session, t);
    }
    if (!session.abandon(c.callId(), t)) {
      Message.Failure failure = FailureMapper.of(c.callId(), t);
      if (flush) {
        channel.writeAndFlush(failure);
      } else {
        channel.write(failure);
      }
    }
  }

  /**
   * Pauses this session until a garbage collection has shown what is really in use: {@code c}
   * runs again after it (refused then if it still does not fit), and so does everything the
   * session sent meanwhile, in order. Other sessions go on.
   */
  private void holdForCollection(ChannelHandlerContext ctx, Message c, int frameBytes) {
    held = new ArrayDeque<>();
    ctx.channel().config().setAutoRead(false);
    server.budget().collect().whenComplete((v, t) -> ctx.executor().execute(() -> {
      ArrayDeque<Held> queue = held;
      held = null;
      if (!ctx.channel().isActive()) {
        return; // the session closed meanwhile: what it sent after c dies with it, as unsent
      }
      handle(ctx, c, frameBytes, true);
      while (held == null && !queue.isEmpty()) {
        Held h = queue.poll();
        handle(ctx, h.message(), h.frameBytes(), false);
      }
      if (held != null) {
        held.addAll(queue); // held again: what is left waits for that collection, in order
      } else {
        ctx.channel().config().setAutoRead(true);
      }
      session.deliveries().flush();
    }));
  }

  /**
   * An object whose calls took more than {@link #SLOW_SHARE_NANOS} of an event loop within one
   * {@link #COST_WINDOW_NANOS}, at more than {@link #SLOW_NANOS} each on average, moves off the
   * event loops: a dict whose keys collide makes each call a little slower, thousands of them in
   * one read. Cheap calls never qualify however many there are (a hot object stays fast), nor do a
   * fresh JVM's first, interpreted calls (too few, too short).
   */
  static final long COST_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long SLOW_SHARE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long SLOW_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
  /** Calls cheaper than this are not counted at all: they could never make an object slow. */
  static final long UNCOUNTED_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
  /** How long an object that had a slow call is served off the event loops (renewed by each slow call). */
  static final long SLOW_FOR_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** A bulk call with an argument of at least this many elements runs off the event loop. */
  static final int BULK_ELEMENTS = 1024;

  /** The largest collection, map or array among {@code args}. */
  static int bulkSize(Object[] args) {
    int n = 0;
    if (args != null) {
      for (Object a : args) {
        if (a instanceof java.util.Collection<?> c) {
          n = Math.max(n, c.size());
        } else if (a instanceof java.util.Map<?, ?> m) {
          n = Math.max(n, m.size());
        } else if (a instanceof Object[] arr) {
          n = Math.max(n, arr.length);
        }
      }
    }
    return n;
  }

  /** Notes what a call on {@code e} cost; a slow object is served off the event loops for a while. */
  private void noteCost(ObjectRegistry.Entry e, long start, long now) {
    if (e.id == ObjectRegistry.SERVICE_ID) {
      return; // status calls are bounded, and stay put
    }
    long tookNanos = now - start;
    if (tookNanos < UNCOUNTED_NANOS) {
      return; // a cheap call: it touches nothing shared (a hot object's calls stay off each other's cache lines)
    }
    if (now - e.windowStart > COST_WINDOW_NANOS) {
      e.windowStart = now;
      e.windowNanos = 0;
      e.windowCalls = 0;
    }
    long spent = e.windowNanos += tookNanos;
    int calls = ++e.windowCalls;
    if (spent > SLOW_SHARE_NANOS && spent / calls > SLOW_NANOS) {
      e.windowNanos = 0;
      e.windowCalls = 0;
      markSlow(e, spent / calls);
    }
  }

  private void markSlow(ObjectRegistry.Entry e, long averageNanos) {
    boolean wasFast = System.nanoTime() - e.slowUntil >= 0;
    e.slowUntil = System.nanoTime() + SLOW_FOR_NANOS;
    if (wasFast) {
      log.info("{}: its calls took over {} ms of an event loop in {} ms ({} µs each); they run on the user pool for the next {} s",
          e.describe(), SLOW_SHARE_NANOS / 1_000_000, COST_WINDOW_NANOS / 1_000_000, averageNanos / 1_000,
          SLOW_FOR_NANOS / 1_000_000_000);
    }
  }

  /**
   * Runs {@code c} on its object's serial executor, off the event loop: a bulk call, or any call on
   * an object that is slow or already has calls there (so one object's calls keep their order).
   * The answer is written from there; a call that parks is answered when it completes, as ever.
   */
  private void offload(Channel channel, Message.Call c, ObjectRegistry.Entry e, MethodHandle invoker) {
    e.offloaded.incrementAndGet();
    e.serial.execute(() -> {
      try {
        if (channel.isActive()) { // else the session is gone: nothing may park for it, no one waits
          serve(channel, c, e, invoker, System.nanoTime(), true);
        }
      } finally {
        e.offloaded.decrementAndGet();
      }
    });
  }

  /**
   * Writes {@code c}'s {@code result}; through the session's {@link Deliveries} if it hands items
   * over (from any thread: it moves to the event loop). Flushed now if {@code flush}, else with the
   * read batch.
   */
  private void reply(Channel channel, Message.Call c, ObjectRegistry.Entry e, Object result, boolean flush) {
    Message.Reply reply = new Message.Reply(c.callId(), result);
    List<Object> handed = e.spec.handover(c.methodId()).items(result);
    if (!handed.isEmpty()) {
      session.deliveries().handOver(reply, e, handed, flush);
    } else if (flush) {
      channel.writeAndFlush(reply);
    } else {
      channel.write(reply);
    }
  }

  /** A user type's call: parked here, run on the user pool one at a time per object. */
  private void callOnUserPool(
      ChannelHandlerContext ctx, Message.Call c, ObjectRegistry.Entry e, MethodHandle invoker) {
    Pending answer = new ServerCallContext(session, ctx.channel(), c, e, server.journal(), server.metering(), System.nanoTime()).park();
    e.serial.execute(() -> {
      if (!answer.isWaiting()) {
        return; // cancelled while queued
      }
      try {
        Journal journal = server.journal();
        if (journal != null) {
          journal.beginCall();
        }
        if (journal != null && e.instance instanceof DurableState durable) {
          Object result;
          synchronized (e.instance) { // a snapshot captures it inside this monitor
            result = (Object) invoker.invokeExact(e.instance, (CallContext) null, c.args());
            Effects.recordState(journal, e.id, durable);
          }
          answer.complete(result); // held for the fsync by its context when it must be
        } else {
          answer.complete((Object) invoker.invokeExact(e.instance, (CallContext) null, c.args()));
        }
      } catch (Throwable t) {
        answer.fail(t);
      }
    });
  }

  /**
   * Admits what {@code b} creates (an array's elements) to the data budget as it was last measured;
   * true if it does not fit, and a collection must come first, as for a storing call.
   */
  private boolean needsCollectionFirst(Message.Bind b) {
    long bytes = Types.creationBytes(b.typeid(), b.params());
    return bytes > 0 && !server.registry().exists(b.name())
        && server.budget().admit(bytes, false) == DataBudget.Verdict.COLLECT_FIRST;
  }

  /** Answers a bind; one that created an object waits for its journal record like any mutation. */
  private void bindAndAnswer(ChannelHandlerContext ctx, Message.Bind b, boolean collected) {
    Journal journal = server.journal();
    if (journal == null) {
      ctx.write(bind(b, collected));
      return;
    }
    journal.beginCall();
    Message answer = bind(b, collected);
    long durableAt = journal.beforeReply();
    if (durableAt > 0) {
      journal.afterDurable(durableAt, () -> ctx.channel().writeAndFlush(answer));
    } else {
      ctx.write(answer);
    }
  }

  /**
   * Binds {@code b}; with {@code checkBudget} (after a collection, or in cluster mode), what it
   * creates is admitted to the data budget here, else it was admitted already.
   */
  private Message bind(Message.Bind b, boolean checkBudget) {
    try {
      long bytes = Types.creationBytes(b.typeid(), b.params());
      if (checkBudget && bytes > 0 && !server.registry().exists(b.name())
          && server.budget().admit(bytes, true) == DataBudget.Verdict.REFUSE) {
        throw new DataLimitException(b.typeid() + " '" + b.name() + "': creating it takes " + bytes
            + " bytes, past the daemon's data budget (" + server.budget().used() + " of max.data.bytes="
            + server.budget().budget() + " bytes in use)");
      }
      ObjectRegistry.Entry e = server.registry().bind(b.typeid(), b.name(), b.params(), b.tableHash());
      return new Message.Bound(b.callId(), e.id);
    } catch (RuntimeException | OutOfMemoryError e) {
      return FailureMapper.of(b.callId(), e);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    session.deliveries().flush();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent e) {
      if (e.state() == IdleState.WRITER_IDLE) {
        session.deliveries().ping();
      } else if (e.state() == IdleState.READER_IDLE) {
        log.warn("closing {}: silent for {} ms (heartbeat timeout)", session, server.config().heartbeatTimeout.toMillis());
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    server.closeSession(session);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      // the peer went away (a killed worker resets its connections): routine, its waits are released
      log.info("{} ended: {}", session, cause.getMessage());
    } else {
      log.warn("closing {}: {}", session, cause.getMessage());
    }
    ctx.close();
  }
}
