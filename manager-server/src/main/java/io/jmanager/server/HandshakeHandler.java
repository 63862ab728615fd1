package io.jmanager.server;

import io.jmanager.wire.Handshake;
import io.jmanager.wire.Message;
import io.jmanager.server.netty.Frames;
import io.jmanager.wire.WireCodec;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Challenges a new connection and checks its answer in constant time. On success it proves the
 * daemon's own key, opens the codec and replaces itself with heartbeats and a {@link
 * ServerHandler}; on failure it answers {@code Denied} and closes. A connection that has not
 * authenticated within {@code handshake.timeout} is closed. Every failure is reported to {@link
 * HandshakeFailures}, which logs and limits them per address.
 */
final class HandshakeHandler extends SimpleChannelInboundHandler<Message> {
  private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

  private final ManagerServer server;
  private final WireCodec codec;
  private final byte[] serverNonce = Handshake.nonce();
  private ScheduledFuture<?> timeout;
  private boolean failed; // reported already: one connection is one failure

  HandshakeHandler(ManagerServer server, WireCodec codec) {
    this.server = server;
    this.codec = codec;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ServerConfig c = server.config();
    timeout =
        ctx.executor()
            .schedule(
                () -> {
                  ctx.close();
                  failed(ctx, HandshakeFailures.Kind.TIMED_OUT, "handshake.timeout=" + c.handshakeTimeout.toMillis() + "ms");
                },
                c.handshakeTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(new Message.Hello(Handshake.PROTOCOL_VERSION, serverNonce));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    timeout.cancel(false);
    byte[] key = server.authkey();
    if (!(msg instanceof Message.Auth auth) || !Handshake.verify(key, serverNonce, auth.proof())) {
      failed(ctx, HandshakeFailures.Kind.WRONG_AUTHKEY, "");
      ctx.writeAndFlush(new Message.Denied("wrong authkey")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (auth.clientNonce() == null || auth.clientNonce().length != Handshake.NONCE_BYTES) {
      failed(ctx, HandshakeFailures.Kind.MALFORMED, "no client nonce of " + Handshake.NONCE_BYTES + " bytes");
      ctx.writeAndFlush(new Message.Denied("malformed challenge")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ServerConfig c = server.config();
    server.limits().authenticated(ctx.channel());
    Session session = server.openSession(ctx.channel(), auth.pid());
    codec.acceptAll();
    Frames.setMax(ctx.pipeline(), c.maxFrameBytes);
    ctx.pipeline()
        .addAfter(ctx.name(), "heartbeat",
            new IdleStateHandler(c.heartbeatTimeout.toMillis(), c.heartbeatInterval.toMillis(), 0, TimeUnit.MILLISECONDS))
        .addAfter("heartbeat", "server", new ServerHandler(server, session, ctx.pipeline().get(io.jmanager.server.netty.MessageCodec.class)::lastFrameBytes))
        .remove(this);
    ctx.writeAndFlush(
        new Message.Welcome(
            session.id(), Handshake.proof(key, auth.clientNonce()),
            (int) c.heartbeatInterval.toMillis(), (int) c.heartbeatTimeout.toMillis(), (int) c.callTimeout.toMillis(),
            c.maxFrameBytes, server.daemonId(), server.unixPathString()));
    log.debug("{} connected", session);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  /** A failed TLS handshake (a plain client, a client that distrusts the certificate, a timeout). */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      ctx.close();
      failed(ctx, HandshakeFailures.Kind.TLS, e.cause().getMessage() != null ? e.cause().getMessage() : e.cause().toString());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
    if (cause.getCause() instanceof SSLException tls) { // the SslHandler's, wrapped in a DecoderException
      failed(ctx, HandshakeFailures.Kind.TLS, String.valueOf(tls.getMessage()));
    } else if (cause instanceof IOException) { // the peer reset the connection: it gave up, it sent nothing wrong
      log.debug("unauthenticated connection from {} lost: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      failed(ctx, HandshakeFailures.Kind.MALFORMED, String.valueOf(cause.getMessage()));
    }
  }

  private void failed(ChannelHandlerContext ctx, HandshakeFailures.Kind kind, String detail) {
    if (failed) {
      return;
    }
    failed = true;
    server.failures().failed(HandshakeFailures.remoteIp(ctx.channel()), kind, detail);
  }
}
