package io.jmanager.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a client connection reads and writes, at the head of its pipeline (so TLS
 * records count as sent): one instance serves every connection of a daemon.
 */
@ChannelHandler.Sharable
public final class ByteCounter extends ChannelDuplexHandler {
  private final DaemonMetrics metrics;

  /**
   * Counts into {@code metrics}.
   *
   * @param metrics the daemon's metrics
   */
  public ByteCounter(DaemonMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    metrics.received(size(msg));
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    metrics.sent(size(msg));
    ctx.write(msg, promise);
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
  }
}
