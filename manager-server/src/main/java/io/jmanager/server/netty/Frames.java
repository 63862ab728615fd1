package io.jmanager.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/**
 * jmanager's framing ({@link io.jmanager.wire.Frames}) on a Netty pipeline: a decoder that strips
 * the 4-byte length prefix and refuses bodies above a limit that can be raised once, after the
 * handshake. The prefix on the way out is written by {@link MessageCodec} with the body.
 */
public final class Frames {
  private static final String DECODER = "frameDecoder";

  private Frames() {}

  /** Adds the frame decoder (bodies up to {@code maxFrameBytes}) to {@code pipeline}. */
  public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
    pipeline.addLast(DECODER, new Decoder(maxFrameBytes));
  }

  /** Changes the largest body {@code pipeline}'s decoder accepts from the next frame on. */
  public static void setMax(ChannelPipeline pipeline, int maxFrameBytes) {
    ((Decoder) pipeline.get(DECODER)).max = maxFrameBytes;
  }

  /** A length-prefixed frame decoder whose limit (on the body) can be raised after the handshake. */
  private static final class Decoder extends LengthFieldBasedFrameDecoder {
    private int max; // touched only on the channel's event loop

    Decoder(int max) {
      super(Integer.MAX_VALUE, 0, 4, 0, 4, true);
      this.max = max;
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
      long body = super.getUnadjustedFrameLength(buf, offset, length, order);
      if (body > max) {
        throw new TooLongFrameException("frame of " + body + " bytes exceeds the limit of " + max + " bytes");
      }
      return body;
    }
  }
}
