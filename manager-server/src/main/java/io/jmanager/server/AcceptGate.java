package io.jmanager.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On a listening channel, before Netty hands an accepted connection to an event loop: closes it at
 * once if its address is refused for its failed handshakes ({@link HandshakeFailures}) or the
 * daemon is full, and otherwise counts it against the {@link ConnectionLimits}. That costs the
 * accept and a close, on the accepting thread: no event-loop registration, no pipeline, no
 * handshake, so the accepting thread keeps up with a flood and the listen queue, which honest
 * clients share with it, does not fill. The refused peer sees the connection closed before the
 * daemon's challenge.
 *
 * <p>Counting here, on the one accepting thread, keeps the limits' "oldest" in accept order: were
 * it done as each event loop sets a connection up, a connection accepted last could be counted
 * before ones accepted earlier on a busier loop, and be closed as the oldest.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {
  private final HandshakeFailures failures;
  private final ConnectionLimits limits;

  AcceptGate(HandshakeFailures failures, ConnectionLimits limits) {
    this.failures = failures;
    this.limits = limits;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    // not registered anywhere yet: just the socket to close
    if (failures.refuse(HandshakeFailures.remoteIp(child)) || !limits.admit(child)) {
      child.unsafe().closeForcibly();
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
