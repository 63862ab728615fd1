package io.jmanager.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns one frame (the body after the length prefix) into one {@link Message} and back, with the
 * channel's own {@link Kryo} (a codec instance belongs to one channel, so to one event-loop thread).
 *
 * <p>A codec created with {@link #only} reads nothing but the handshake messages it names until
 * {@link #acceptAll()} is called: an unauthenticated peer cannot make either side deserialize
 * anything else. After any failed read or write the codec starts over with a fresh {@link Kryo}.
 * A reply whose value cannot be written becomes a {@link Message.Failure} for that call, so the
 * caller hears about it and the connection stays up.
 */
public final class MessageCodec extends MessageToMessageCodec<ByteBuf, Message> {
  private static final int KRYO_CLASS_ID_OFFSET = 2; // DefaultClassResolver writes id + 2

  private final Supplier<Kryo> kryos;
  private Kryo kryo;
  private final Output output;
  private final Input input = new Input();
  private byte[] scratch = new byte[4096];
  private Map<Integer, Class<?>> only; // null: every message

  private MessageCodec(Supplier<Kryo> kryos, int maxFrameBytes, Map<Integer, Class<?>> only) {
    this.kryos = kryos;
    this.kryo = kryos.get();
    this.output = new Output(4096, maxFrameBytes);
    this.only = only;
  }

  /** A codec that reads every message. */
  public static MessageCodec open(Supplier<Kryo> kryos, int maxFrameBytes) {
    return new MessageCodec(kryos, maxFrameBytes, null);
  }

  /**
   * A codec that reads only the given handshake messages until {@link #acceptAll()}: an
   * unauthenticated peer cannot make this side deserialize anything else.
   */
  @SafeVarargs
  public static MessageCodec only(Supplier<Kryo> kryos, int maxFrameBytes, Class<? extends Message>... types) {
    MessageCodec codec = new MessageCodec(kryos, maxFrameBytes, new HashMap<>());
    for (Class<? extends Message> t : types) {
      codec.only.put(codec.kryo.getRegistration(t).getId(), t);
    }
    return codec;
  }

  /** Adopts the peer's largest frame: a message that would exceed it fails to encode, here. */
  public void maxFrameBytes(int bytes) {
    output.setBuffer(new byte[4096], bytes);
  }

  /** Lifts the {@link #only} restriction once the peer has authenticated. */
  public void acceptAll() {
    only = null;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
    output.reset();
    try {
      kryo.writeClassAndObject(output, msg);
    } catch (RuntimeException e) {
      kryo = kryos.get(); // a failed write can leave Kryo's generics state behind: start clean
      if (!(msg instanceof Message.Reply)) {
        throw e;
      }
      output.reset();
      Message.Reply reply = (Message.Reply) msg;
      kryo.writeClassAndObject(
          output,
          new Message.Failure(
              reply.callId(),
              IllegalStateException.class.getName(),
              "cannot serialize the result ("
                  + (reply.value() == null ? "null" : reply.value().getClass().getName())
                  + "): "
                  + e.getMessage(),
              ""));
    }
    int n = output.position();
    ByteBuf buf = ctx.alloc().ioBuffer(n);
    buf.writeBytes(output.getBuffer(), 0, n);
    out.add(buf);
    if (output.getBuffer().length > (8 << 20)) {
      output.setBuffer(new byte[4096], output.getMaxCapacity()); // do not pin a huge buffer
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    int n = frame.readableBytes();
    if (frame.hasArray()) {
      input.setBuffer(frame.array(), frame.arrayOffset() + frame.readerIndex(), n);
    } else {
      if (scratch.length < n) {
        scratch = new byte[Math.max(n, scratch.length * 2)];
      }
      frame.getBytes(frame.readerIndex(), scratch, 0, n);
      input.setBuffer(scratch, 0, n);
    }
    frame.skipBytes(n);
    Message m = read();
    if (m instanceof Message.Unreadable) {
      kryo = kryos.get(); // as after a failed write
    }
    out.add(m);
    if (scratch.length > (8 << 20)) {
      scratch = new byte[4096];
    }
  }

  private Message read() {
    try {
      Object message;
      if (only != null) {
        int id = input.readVarInt(true) - KRYO_CLASS_ID_OFFSET;
        Class<?> type = only.get(id);
        if (type == null) {
          throw new DecoderException("expected a handshake message " + only.values() + " (class id " + id + ")");
        }
        message = kryo.readObject(input, type);
      } else {
        message = kryo.readClassAndObject(input);
      }
      if (!(message instanceof Message)) {
        throw new DecoderException(
            "frame holds " + (message == null ? "null" : message.getClass().getName())
                + ", not a message");
      }
      if (input.position() != input.limit() && !(message instanceof Message.Unreadable)) {
        throw new DecoderException(
            (input.limit() - input.position()) + " stray bytes after " + message.getClass().getSimpleName());
      }
      return (Message) message;
    } catch (KryoException e) {
      throw new DecoderException("unreadable frame: " + e.getMessage(), e);
    }
  }
}
