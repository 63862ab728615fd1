package io.jmanager.wire;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/** The framing both sides use: a 4-byte big-endian length, then the body. */
public final class Frames {
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

  private Frames() {}

  /** Adds the frame decoder and prepender to the top of {@code pipeline}. */
  public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
    pipeline.addLast("frameDecoder", decoder(maxFrameBytes));
    pipeline.addLast("framePrepender", new LengthFieldPrepender(4));
  }

  private static LengthFieldBasedFrameDecoder decoder(int maxFrameBytes) {
    return new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4, true);
  }
}
