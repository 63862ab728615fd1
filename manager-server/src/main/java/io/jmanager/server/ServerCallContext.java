package io.jmanager.server;

import io.jmanager.server.journal.Journal;
import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Pending;
import io.jmanager.wire.Message;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CallContext} of one call on one session: a parked answer is registered with the
 * session (so a {@code Cancel} or the session's end can find it) and written to the session's
 * channel when it completes, from whichever thread completes it; an answer that hands items over
 * goes through the session's {@link Deliveries}.
 */
final class ServerCallContext implements CallContext {
  private final Session session;
  private final Channel channel;
  private final long callId;
  private final long threadId;
  private final ObjectRegistry.Entry entry;
  private final TypeSpec.Handover handover;
  private final Journal journal; // null: off
  private final Metering metering; // null: off
  private final int methodId;
  private final long startNanos;

  ServerCallContext(Session session, Channel channel, Message.Call call, ObjectRegistry.Entry entry, Journal journal,
      Metering metering, long startNanos) {
    this.session = session;
    this.metering = metering;
    this.methodId = call.methodId();
    this.startNanos = startNanos;
    this.journal = journal;
    this.channel = channel;
    this.callId = call.callId();
    this.threadId = call.thread();
    this.entry = entry;
    this.handover = entry.spec.handover(call.methodId());
  }

  /** The object the call is on (so deleting it can drop the call's wait). */
  int objectId() {
    return entry.id;
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
      long durableAt = journal == null ? 0 : journal.beforeReply();
      if (durableAt > 0) { // completed by a call whose effects are not on disk yet
        journal.afterDurable(durableAt, () -> answer(value, failure));
      } else {
        answer(value, failure);
      }
      if (metering != null) {
        if (failure == null) {
          metering.answered(entry.spec, methodId, startNanos);
        } else {
          metering.failed(entry.spec, methodId, startNanos, failure);
        }
      }
    });
    session.park(callId, p);
    return p;
  }

  private void answer(Object value, Throwable failure) {
    if (failure != null) {
      channel.writeAndFlush(FailureMapper.of(callId, failure));
      return;
    }
    List<Object> items = handover.items(value);
    if (items.isEmpty()) {
      channel.writeAndFlush(new Message.Reply(callId, value));
    } else {
      session.deliveries().handOver(new Message.Reply(callId, value), entry, items, true);
    }
  }

  @Override
  public Runnable schedule(Runnable task, long delayNanos) {
    var future = channel.eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
