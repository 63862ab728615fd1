package io.jmanager.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns one {@link Message} into one frame (4-byte big-endian length, then the Kryo body) and one
 * frame body back into a {@link Message}, with no transport attached: bytes in, messages out. The
 * daemon wraps it in a Netty handler; the client calls it from its own I/O.
 *
 * <p>Not thread-safe: a codec owns one {@link Kryo}, one output buffer and one input. A codec
 * created with {@link #only} reads nothing but the handshake messages it names until {@link
 * #acceptAll()}: an unauthenticated peer cannot make this side deserialize anything else. Handshake
 * messages are written and read without a Kryo instance; the codec builds its Kryo when the first
 * other message passes, so a connection that never authenticates never costs one. After a
 * failed read or write the codec starts over with a fresh {@link Kryo}. A reply whose value cannot
 * be written becomes a {@link Message.Failure} for that call, so the caller hears about it.
 */
public final class WireCodec {
  private static final int KRYO_CLASS_ID_OFFSET = 2; // DefaultClassResolver writes id + 2
  static final int SHRINK_ABOVE = 1 << 20;

  private final Supplier<Kryo> kryos;
  private Kryo kryo;
  private final Output output;
  private final FrameInput input = new FrameInput();
  private int maxReadDepth = Integer.MAX_VALUE;
  private Map<Integer, Class<?>> only; // null: every message

  private WireCodec(Supplier<Kryo> kryos, int maxFrameBytes, Map<Integer, Class<?>> only) {
    this.kryos = kryos;
    this.output = new Output(initialSize(maxFrameBytes), Frames.LENGTH_BYTES + maxFrameBytes);
    this.only = only;
  }

  /**
   * {@return a codec that reads every message}
   *
   * @param kryos makes the codec's {@link Kryo} when it first needs one, and again after a failure
   * @param maxFrameBytes the largest frame body this codec writes
   */
  public static WireCodec open(Supplier<Kryo> kryos, int maxFrameBytes) {
    return new WireCodec(kryos, maxFrameBytes, null);
  }

  /**
   * {@return a codec that reads only the given handshake messages until {@link #acceptAll()}}
   *
   * @param kryos makes the codec's {@link Kryo} when it first needs one, and again after a failure
   * @param maxFrameBytes the largest frame body this codec writes
   * @param types the handshake messages this side may receive first
   * @throws IllegalArgumentException if one of {@code types} is not a handshake message
   */
  @SafeVarargs
  public static WireCodec only(Supplier<Kryo> kryos, int maxFrameBytes, Class<? extends Message>... types) {
    WireCodec codec = new WireCodec(kryos, maxFrameBytes, new HashMap<>());
    for (Class<? extends Message> t : types) {
      WireKryo.HandshakeType h = WireKryo.HANDSHAKE.get(t);
      if (h == null) {
        throw new IllegalArgumentException(t.getSimpleName() + " is not a handshake message");
      }
      codec.only.put(h.id(), t);
    }
    return codec;
  }

  /**
   * Adopts the peer's largest frame: a message whose body would exceed it fails to encode, here.
   *
   * @param bytes the largest frame body the peer reads
   */
  public void maxFrameBytes(int bytes) {
    output.setBuffer(new byte[initialSize(bytes)], Frames.LENGTH_BYTES + bytes);
  }

  private static int initialSize(int maxFrameBytes) {
    return Math.min(4096, Frames.LENGTH_BYTES + maxFrameBytes);
  }

  /**
   * Bounds how deeply a value read by this codec may nest: {@code levels} objects from a call's
   * argument (or a reply's value) down to its deepest leaf, counting both (a {@code List<Integer>}
   * is 2). A deeper value fails its call, found while reading it, so no stored value is ever too
   * deep to send back. Writing is not bounded here: a reply may nest stored values in a container.
   *
   * @param levels the deepest nesting accepted, at least 1
   * @throws IllegalArgumentException if {@code levels} is less than 1
   */
  public void maxReadDepth(int levels) {
    if (levels < 1) {
      throw new IllegalArgumentException("max depth must be at least 1, got " + levels);
    }
    maxReadDepth = levels + 1; // Kryo counts the message itself as a level
  }

  /** Lifts the {@link #only} restriction once the peer has authenticated. */
  public void acceptAll() {
    only = null;
  }

  /**
   * Encodes {@code msg} as one whole frame, length prefix included; the frame is {@link
   * #frameBytes()}{@code [0, n)} until the next call.
   *
   * @param msg the message
   * @return n, the frame's length in bytes
   * @throws com.esotericsoftware.kryo.io.KryoBufferOverflowException if the body would exceed the
   *     largest frame
   * @throws KryoException if a value cannot be serialized, {@link IllegalArgumentException} if it
   *     is nested too deeply to (a {@link Message.Reply} becomes a {@link Message.Failure} instead)
   */
  public int encode(Message msg) {
    try {
      writeFrame(msg);
    } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError failure) {
      kryo = null; // a failed write can leave Kryo's generics state behind: start clean
      RuntimeException e = failure instanceof StackOverflowError ? WireKryo.tooDeep("serialize")
          : failure instanceof RuntimeException r ? r
          : new IllegalStateException(failure.toString(), failure);
      if (!(msg instanceof Message.Reply reply)) {
        throw e;
      }
      writeFrame(
          new Message.Failure(
              reply.callId(),
              IllegalStateException.class.getName(),
              "cannot serialize the result ("
                  + (reply.value() == null ? "null" : reply.value().getClass().getName())
                  + "): "
                  + e.getMessage(),
              ""));
    }
    return output.position();
  }

  private void writeFrame(Message msg) {
    output.reset();
    output.setPosition(Frames.LENGTH_BYTES);
    WireKryo.HandshakeType h = WireKryo.HANDSHAKE.get(msg.getClass());
    if (h != null) {
      output.writeVarInt(h.id() + KRYO_CLASS_ID_OFFSET, true); // as Kryo would, without one
      writeHandshake(h, msg);
    } else {
      kryo().writeClassAndObject(output, msg);
    }
    int body = output.position() - Frames.LENGTH_BYTES;
    byte[] b = output.getBuffer();
    b[0] = (byte) (body >>> 24);
    b[1] = (byte) (body >>> 16);
    b[2] = (byte) (body >>> 8);
    b[3] = (byte) body;
  }

  /**
   * Once the last frame has been written or copied: gives back an output buffer that a large
   * message grew past {@value #SHRINK_ABOVE} bytes, so an idle codec does not pin it.
   */
  public void trim() {
    if (output.getBuffer().length > SHRINK_ABOVE) {
      output.setBuffer(new byte[initialSize(output.getMaxCapacity())], output.getMaxCapacity());
    }
  }

  /**
   * {@return the buffer the last {@link #encode} wrote its frame into (from index 0)} Valid until
   * the next {@code encode} or {@link #trim()}; not a copy.
   */
  public byte[] frameBytes() {
    return output.getBuffer();
  }

  /**
   * Decodes one frame body, {@code buf[offset, offset + length)} (no length prefix). A call, bind
   * or reply whose header was read but whose payload was not comes back as {@link
   * Message.Unreadable}, and the codec stays usable.
   *
   * @param buf holds the body
   * @param offset where the body starts in {@code buf}
   * @param length the body's length in bytes
   * @return the message
   * @throws WireException if the frame is not a message this codec accepts
   */
  public Message decode(byte[] buf, int offset, int length) {
    input.frame(buf, offset, length);
    try {
      Message m = read();
      if (m instanceof Message.Unreadable) {
        kryo = null; // as after a failed write
      }
      return m;
    } finally {
      input.release(EMPTY);
    }
  }

  private static final byte[] EMPTY = new byte[0];

  /** The Kryo for everything after the handshake, made on first use (and again after a failure). */
  private Kryo kryo() {
    Kryo k = kryo;
    if (k == null) {
      k = kryo = kryos.get();
    }
    return k;
  }

  @SuppressWarnings("unchecked")
  private void writeHandshake(WireKryo.HandshakeType h, Message msg) {
    ((com.esotericsoftware.kryo.Serializer<Message>) h.serializer()).write(null, output, msg);
  }

  private Message read() {
    try {
      Object message;
      if (only != null) {
        int id = input.readVarInt(true) - KRYO_CLASS_ID_OFFSET;
        Class<?> type = only.get(id);
        if (type == null) {
          throw new WireException("expected a handshake message " + only.values() + " (class id " + id + ")");
        }
        message = WireKryo.HANDSHAKE.get(type).serializer().read(null, input, (Class) type);
      } else if (maxReadDepth != Integer.MAX_VALUE) {
        Kryo k = kryo();
        k.setMaxDepth(maxReadDepth);
        try {
          message = k.readClassAndObject(input);
        } finally {
          k.setMaxDepth(Integer.MAX_VALUE); // replies may nest stored values deeper
        }
      } else {
        message = kryo().readClassAndObject(input);
      }
      if (!(message instanceof Message)) {
        throw new WireException(
            "frame holds " + (message == null ? "null" : message.getClass().getName()) + ", not a message");
      }
      if (input.position() != input.limit() && !(message instanceof Message.Unreadable)) {
        String stray = (input.limit() - input.position()) + " stray bytes after " + message.getClass().getSimpleName();
        Long callId = message instanceof Message.Call c ? c.callId()
            : message instanceof Message.Bind b ? Long.valueOf(b.callId())
            : message instanceof Message.Reply r ? Long.valueOf(r.callId())
            : null;
        if (callId == null) {
          throw new WireException(stray);
        }
        // the frame was whole, its payload not: that call fails, and is not run
        kryo = null;
        return new Message.Unreadable(callId, new IllegalArgumentException("unreadable value: " + stray));
      }
      return (Message) message;
    } catch (WireException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      kryo = null;
      throw new WireException("unreadable frame: " + e, e);
    }
  }
}
