package io.jmanager.server.netty;

import io.jmanager.wire.Message;
import io.jmanager.wire.WireCodec;
import io.jmanager.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;

/**
 * The daemon's adapter of the transport-neutral {@link WireCodec}: one frame body in, one {@link
 * Message} out; one message in, one whole frame (length prefix included) out. A codec instance
 * belongs to one channel, so to one event-loop thread. A frame that is not an acceptable message is
 * a {@link DecoderException}, which closes the connection.
 */
public final class MessageCodec extends MessageToMessageCodec<ByteBuf, Message> {
  private final WireCodec codec;
  private byte[] scratch = new byte[4096];
  private int lastFrameBytes;

  public MessageCodec(WireCodec codec) {
    this.codec = codec;
  }

  /** The codec this handler adapts, for the handshake to open once the peer has authenticated. */
  public WireCodec codec() {
    return codec;
  }

  /** The body size of the frame decoded last: the message being handled came in it. */
  public int lastFrameBytes() {
    return lastFrameBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
    int n = codec.encode(msg);
    ByteBuf buf = ctx.alloc().ioBuffer(n);
    buf.writeBytes(codec.frameBytes(), 0, n);
    codec.trim();
    out.add(buf);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    int n = frame.readableBytes();
    lastFrameBytes = n;
    try {
      if (frame.hasArray()) {
        out.add(codec.decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), n));
      } else {
        if (scratch.length < n) {
          scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), scratch, 0, n);
        out.add(codec.decode(scratch, 0, n));
        if (scratch.length > (1 << 20)) {
          scratch = new byte[4096];
        }
      }
    } catch (WireException e) {
      throw new DecoderException(e.getMessage(), e);
    } finally {
      frame.skipBytes(n);
    }
  }
}
