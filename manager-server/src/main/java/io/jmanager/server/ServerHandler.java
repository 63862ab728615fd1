package io.jmanager.server;

import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Pending;
import io.jmanager.wire.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.invoke.MethodHandle;
import java.util.List;
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

  ServerHandler(ManagerServer server, Session session) {
    this.server = server;
    this.session = session;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    if (msg instanceof Message.Call c) {
      call(ctx, c);
    } else if (msg instanceof Message.Bind b) {
      ctx.write(bind(b));
    } else if (msg instanceof Message.Unreadable u) {
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
   * parked. An answer that hands items over is written through the session's {@link Deliveries}.
   */
  private void call(ChannelHandlerContext ctx, Message.Call c) {
    session.countCall();
    server.countCall();
    try {
      ObjectRegistry.Entry e = server.registry().get(c.objectId());
      MethodHandle invoker = e.spec.invoker(c.methodId());
      if (invoker == null) {
        throw new IllegalArgumentException(e.describe() + " has no method " + c.methodId());
      }
      if (e.serial != null) {
        callOnUserPool(ctx, c, e, invoker);
        return;
      }
      CallContext context = e.spec.wantsContext(c.methodId())
          ? new ServerCallContext(session, ctx.channel(), c, e)
          : null;
      Object result = (Object) invoker.invokeExact(e.instance, context, c.args());
      if (result instanceof Pending) {
        return; // its answer is written when it completes
      }
      List<Object> handed = e.spec.handover(c.methodId()).items(result);
      if (handed.isEmpty()) {
        ctx.write(new Message.Reply(c.callId(), result));
      } else {
        session.deliveries().handOver(new Message.Reply(c.callId(), result), e, handed, false);
      }
    } catch (Throwable t) {
      if (t instanceof Error && !(t instanceof StackOverflowError)) {
        log.error("{}: call failed with an Error", session, t);
      }
      if (!session.abandon(c.callId(), t)) { // a call that parked is answered by dropping its wait
        ctx.write(FailureMapper.of(c.callId(), t));
      }
    }
  }

  /** A user type's call: parked here, run on the user pool one at a time per object. */
  private void callOnUserPool(
      ChannelHandlerContext ctx, Message.Call c, ObjectRegistry.Entry e, MethodHandle invoker) {
    Pending answer = new ServerCallContext(session, ctx.channel(), c, e).park();
    e.serial.execute(() -> {
      if (!answer.isWaiting()) {
        return; // cancelled while queued
      }
      try {
        answer.complete((Object) invoker.invokeExact(e.instance, (CallContext) null, c.args()));
      } catch (Throwable t) {
        answer.fail(t);
      }
    });
  }

  private Message bind(Message.Bind b) {
    try {
      ObjectRegistry.Entry e = server.registry().bind(b.typeid(), b.name(), b.params(), b.tableHash());
      return new Message.Bound(b.callId(), e.id);
    } catch (RuntimeException e) {
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
    log.warn("closing {}: {}", session, cause.getMessage());
    ctx.close();
  }
}
