package io.jmanager.client.internal;

import io.jmanager.client.AuthenticationException;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.wire.Handshake;
import io.jmanager.wire.MessageCodec;
import io.jmanager.wire.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the daemon's challenge and checks its proof, then routes every answer to its pending
 * call, pings on an idle connection and closes one whose daemon has gone silent.
 */
final class ClientHandler extends SimpleChannelInboundHandler<Message> {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final Connection connection;
  private final byte[] authkey;
  private final CompletableFuture<Message.Welcome> handshake;
  private byte[] clientNonce;
  private int heartbeatTimeoutMillis;

  ClientHandler(Connection connection, byte[] authkey, CompletableFuture<Message.Welcome> handshake) {
    this.connection = connection;
    this.authkey = authkey;
    this.handshake = handshake;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    if (msg instanceof Message.Reply r) {
      connection.answer(r.callId(), r);
    } else if (msg instanceof Message.Failure f) {
      connection.answer(f.callId(), f);
    } else if (msg instanceof Message.Bound b) {
      connection.answer(b.callId(), b);
    } else if (msg instanceof Message.Unreadable u) {
      connection.answer(u.callId(), u);
    } else if (msg instanceof Message.Ping) {
      ctx.writeAndFlush(new Message.Pong());
    } else if (msg instanceof Message.Pong) {
      // the daemon is alive; the idle handler has seen the read
    } else if (msg instanceof Message.Hello h) {
      onHello(ctx, h);
    } else if (msg instanceof Message.Welcome w) {
      onWelcome(ctx, w);
    } else if (msg instanceof Message.Denied d) {
      handshake.completeExceptionally(new AuthenticationException("the daemon refused: " + d.reason()));
      ctx.close();
    } else {
      log.warn("unexpected {} from the daemon; closing", msg.getClass().getSimpleName());
      ctx.close();
    }
  }

  private void onHello(ChannelHandlerContext ctx, Message.Hello h) {
    if (h.protocolVersion() != Handshake.PROTOCOL_VERSION) {
      handshake.completeExceptionally(
          new ConnectionLostException(
              "the daemon speaks protocol " + h.protocolVersion() + ", this client "
                  + Handshake.PROTOCOL_VERSION));
      ctx.close();
      return;
    }
    clientNonce = Handshake.nonce();
    ctx.writeAndFlush(
        new Message.Auth(Handshake.proof(authkey, h.serverNonce()), clientNonce, ProcessHandle.current().pid()));
  }

  private void onWelcome(ChannelHandlerContext ctx, Message.Welcome w) {
    if (clientNonce == null || !Handshake.verify(authkey, clientNonce, w.proof())) {
      handshake.completeExceptionally(
          new AuthenticationException("the daemon could not prove it holds the authkey"));
      ctx.close();
      return;
    }
    heartbeatTimeoutMillis = w.heartbeatTimeoutMillis();
    MessageCodec codec = (MessageCodec) ctx.pipeline().get("codec");
    codec.acceptAll();
    codec.maxFrameBytes(w.maxFrameBytes());
    io.jmanager.wire.Frames.setMax(ctx.pipeline(), w.maxFrameBytes());
    ctx.pipeline()
        .addBefore(
            "client",
            "heartbeat",
            new IdleStateHandler(
                w.heartbeatTimeoutMillis(), w.heartbeatMillis(), 0, TimeUnit.MILLISECONDS));
    handshake.complete(w);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent e) {
      if (e.state() == IdleState.WRITER_IDLE) {
        ctx.writeAndFlush(new Message.Ping());
      } else if (e.state() == IdleState.READER_IDLE) {
        connection.lost("the daemon sent nothing for " + heartbeatTimeoutMillis + " ms (heartbeat timeout)");
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.lost("the daemon closed the connection");
    handshake.completeExceptionally(
        new ConnectionLostException("the daemon closed the connection during the handshake"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("closing the connection to the daemon: {}", cause.toString());
    connection.lost("connection error: " + cause);
    ctx.close();
  }
}
