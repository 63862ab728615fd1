package io.jmanager.server.netty;

import io.jmanager.server.python.PythonFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * CPython's {@code multiprocessing.connection} framing ({@link PythonFrames}) on a Netty pipeline:
 * emits each message body as a {@code byte[]}. A body over the limit, or a length no client sends,
 * closes the connection with the reason, as soon as its header arrives; the limit can be raised
 * once the handshake is done.
 */
public final class PythonFrameDecoder extends ByteToMessageDecoder {
  private long max; // touched only on the channel's event loop

  public PythonFrameDecoder(long maxBodyBytes) {
    this.max = maxBodyBytes;
  }

  /** Bodies up to {@code maxBodyBytes} from the next frame on. */
  public void setMax(long maxBodyBytes) {
    this.max = maxBodyBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    PythonFrames.Decoded d = PythonFrames.decode(in.nioBuffer(), max);
    if (d instanceof PythonFrames.Refused r) {
      in.skipBytes(in.readableBytes());
      throw new TooLongFrameException(r.reason());
    }
    if (d instanceof PythonFrames.Frame f) {
      in.skipBytes(f.headerBytes());
      byte[] body = new byte[(int) f.bodyBytes()];
      in.readBytes(body);
      out.add(body);
    }
  }
}
