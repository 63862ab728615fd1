package io.jmanager.server;

import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Pending;
import io.jmanager.wire.Message;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CallContext} of one call on one session: a parked answer is registered with the
 * session (so a {@code Cancel} or the session's end can find it) and written to the session's
 * channel when it completes, from whichever thread completes it.
 */
final class ServerCallContext implements CallContext {
  private final Session session;
  private final Channel channel;
  private final long callId;
  private final long threadId;
  private final int objectId;

  ServerCallContext(Session session, Channel channel, Message.Call call) {
    this.session = session;
    this.channel = channel;
    this.callId = call.callId();
    this.threadId = call.thread();
    this.objectId = call.objectId();
  }

  /** The object the call is on (so deleting it can drop the call's wait). */
  int objectId() {
    return objectId;
  }

  @Override
  public long sessionId() {
    return session.id();
  }

  @Override
  public long threadId() {
    return threadId;
  }

  @Override
  public long pid() {
    return session.pid();
  }

  @Override
  public Pending park() {
    Pending p = new Pending(this, (value, failure) -> {
      session.unpark(callId);
      channel.writeAndFlush(failure == null ? new Message.Reply(callId, value) : FailureMapper.of(callId, failure));
    });
    session.park(callId, p);
    return p;
  }

  @Override
  public Runnable schedule(Runnable task, long delayNanos) {
    var future = channel.eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
