package io.jmanager.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On the listening channel, before Netty hands an accepted connection to an event loop: closes it
 * at once if its address is refused for its failed handshakes ({@link HandshakeFailures}). That
 * costs the accept and a close, on the accepting thread: no event-loop registration, no pipeline,
 * no handshake, so the accepting thread keeps up with a flood and the listen queue, which honest
 * clients share with it, does not fill. The refused peer sees the connection closed before the
 * daemon's challenge.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {
  private final HandshakeFailures failures;

  AcceptGate(HandshakeFailures failures) {
    this.failures = failures;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (failures.refuse(HandshakeFailures.remoteIp(child))) {
      child.unsafe().closeForcibly(); // not registered anywhere yet: just the socket to close
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
