package io.jmanager.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/**
 * The framing both sides use: a 4-byte big-endian length, then the body. The largest body a
 * decoder accepts can change once: a connection starts with {@link #HANDSHAKE_MAX_FRAME_BYTES}
 * (an unauthenticated peer cannot make either side buffer more) and is raised to {@code
 * max.frame.bytes} when the handshake succeeds. Each side sends nothing more until it has the
 * other's handshake answer, so no frame straddles the change.
 */
public final class Frames {
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;
  public static final int HANDSHAKE_MAX_FRAME_BYTES = 1024;

  private Frames() {}

  /** Adds the frame decoder (bodies up to {@code maxFrameBytes}) and prepender to {@code pipeline}. */
  public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
    pipeline.addLast("frameDecoder", new Decoder(maxFrameBytes));
    pipeline.addLast("framePrepender", new LengthFieldPrepender(4));
  }

  /** Changes the largest body {@code pipeline}'s decoder accepts from the next frame on. */
  public static void setMax(ChannelPipeline pipeline, int maxFrameBytes) {
    ((Decoder) pipeline.get("frameDecoder")).max = maxFrameBytes;
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
