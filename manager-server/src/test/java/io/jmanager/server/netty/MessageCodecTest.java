package io.jmanager.server.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.ClassNotAllowedException;
import io.jmanager.wire.Handshake;
import io.jmanager.wire.Message;
import io.jmanager.wire.ObjectRef;
import io.jmanager.wire.WireCodec;
import io.jmanager.wire.WireKryo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Framing and codec on Netty's EmbeddedChannel: what one side writes, the other reads. */
class MessageCodecTest {
  record Point(int x, int y) {}

  private static MessageCodec codec(WireCodec codec) {
    return new MessageCodec(codec);
  }

  private static EmbeddedChannel channel(MessageCodec codec, int maxFrame) {
    EmbeddedChannel ch = new EmbeddedChannel();
    Frames.addTo(ch.pipeline(), maxFrame);
    ch.pipeline().addLast(codec);
    return ch;
  }

  private static EmbeddedChannel open(ClassAllowlist allow) {
    return channel(codec(WireCodec.open(() -> WireKryo.create(allow, List.of(), WireKryo.RefResolver.IDENTITY), 1 << 20)), 1 << 20);
  }

  /** Writes {@code m} on a sender channel and feeds the bytes to {@code receiver}. */
  private static Message transfer(Message m, EmbeddedChannel receiver) {
    EmbeddedChannel sender = open(ClassAllowlist.any());
    sender.writeOutbound(m);
    ByteBuf wire = Unpooled.buffer();
    for (Object part; (part = sender.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) part;
      wire.writeBytes(b);
      b.release();
    }
    receiver.writeInbound(wire);
    return receiver.readInbound();
  }

  @Test
  void everyMessage_roundTrips() {
    EmbeddedChannel rx = open(ClassAllowlist.any());
    byte[] nonce = Handshake.nonce();
    assertArrayEquals(nonce, ((Message.Hello) transfer(new Message.Hello(1, nonce), rx)).serverNonce());
    Object[] args = {"k", 42, 7L, List.of(1, 2), Map.of("a", 1), new ArrayList<>(List.of("x")), Arrays.asList(1, 2),
        UUID.randomUUID(), new BigDecimal("1.50"), Instant.now(), new byte[] {1, 2}, null, Set.of("s")};
    Message.Call call = (Message.Call) transfer(new Message.Call(9, 3, 4, args, 12), rx);
    assertEquals(9, call.callId());
    assertEquals(3, call.objectId());
    assertEquals(4, call.methodId());
    assertEquals(12, call.thread());
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof byte[] b) {
        assertArrayEquals(b, (byte[]) call.args()[i]);
      } else {
        assertEquals(args[i], call.args()[i]);
      }
    }
    assertEquals("v", ((Message.Reply) transfer(new Message.Reply(5, "v"), rx)).value());
    Message.Failure f = (Message.Failure) transfer(new Message.Failure(6, "java.lang.X", "msg", "stack"), rx);
    assertEquals("msg", f.message());
    Message.Bind b = (Message.Bind) transfer(new Message.Bind(7, "dict", "d", new Object[0], 123), rx);
    assertEquals("d", b.name());
    assertEquals(123, b.tableHash());
    assertEquals(0, b.params().length);
    assertNull(((Message.Bind) transfer(new Message.Bind(8, "dict", "d", null, 1), rx)).params());
    assertInstanceOf(Message.Ping.class, transfer(new Message.Ping(), rx));
    assertEquals(11, ((Message.Cancel) transfer(new Message.Cancel(11), rx)).callId());
  }

  @Test
  void disallowedClassInArguments_isUnreadableForThatCallOnly() {
    EmbeddedChannel rx = open(ClassAllowlist.of(List.of()));
    Message m = transfer(new Message.Call(77, 1, 2, new Object[] {new Point(1, 2)}, 1), rx);
    Message.Unreadable u = assertInstanceOf(Message.Unreadable.class, m);
    assertEquals(77, u.callId());
    ClassNotAllowedException e = assertInstanceOf(ClassNotAllowedException.class, u.cause());
    assertEquals(Point.class.getName(), e.className());
    // the channel goes on reading
    assertEquals("ok", ((Message.Reply) transfer(new Message.Reply(78, "ok"), rx)).value());
  }

  @Test
  void allowedPackage_isRead() {
    EmbeddedChannel rx = open(ClassAllowlist.parse("io.jmanager.server.netty.*"));
    Message.Reply r = (Message.Reply) transfer(new Message.Reply(1, new Point(3, 4)), rx);
    assertEquals(new Point(3, 4), r.value());
  }

  @Test
  void authOnlyCodec_refusesAnythingBeforeAuth() {
    EmbeddedChannel rx = authOnly();
    assertThrows(DecoderException.class, () -> transfer(new Message.Call(1, 0, 0, null, 1), rx));
    Message.Auth a = (Message.Auth) transfer(new Message.Auth(new byte[32], new byte[32], 5), authOnly());
    assertEquals(5, a.pid());
    // a client's handshake codec takes Hello, Welcome and Denied only
    EmbeddedChannel client = channel(codec(WireCodec.only(() -> WireKryo.create(ClassAllowlist.any(), List.of(), WireKryo.RefResolver.IDENTITY),
        1 << 20, Message.Hello.class, Message.Welcome.class, Message.Denied.class)), 1 << 20);
    assertThrows(DecoderException.class, () -> transfer(new Message.Reply(1, new java.util.HashMap<>()), client));
  }

  private static EmbeddedChannel authOnly() {
    return channel(codec(WireCodec.only(() -> WireKryo.create(ClassAllowlist.any(), List.of(), WireKryo.RefResolver.IDENTITY),
        1 << 20, Message.Auth.class)), io.jmanager.wire.Frames.HANDSHAKE_MAX_FRAME_BYTES);
  }

  @Test
  void handshakeFields_areBounded_beforeAnythingIsAllocated() {
    EmbeddedChannel rx = authOnly();
    // Auth's class id, then a proof length of about 2^31: refused without allocating it
    ByteBuf frame = Unpooled.buffer().writeInt(6).writeByte(21 + 2).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
    DecoderException e = assertThrows(DecoderException.class, () -> rx.writeInbound(frame));
    assertTrue(e.getMessage().contains("handshake field"), e.getMessage());
    EmbeddedChannel small = authOnly();
    assertThrows(TooLongFrameException.class, () -> small.writeInbound(Unpooled.buffer().writeInt(2000)));
  }

  @Test
  void oversizedFrame_isRejectedBeforeItsBodyArrives() {
    EmbeddedChannel rx = open(ClassAllowlist.any());
    ByteBuf prefix = Unpooled.buffer().writeInt(100 << 20);
    assertThrows(TooLongFrameException.class, () -> rx.writeInbound(prefix));
  }

  @Test
  void garbageFrame_isADecoderError() {
    EmbeddedChannel rx = open(ClassAllowlist.of(List.of()));
    ByteBuf frame = Unpooled.buffer().writeInt(8).writeLong(0x0123456789abcdefL);
    assertThrows(DecoderException.class, () -> rx.writeInbound(frame));
  }

  @Test
  void unserializableReply_becomesAFailureForThatCall() {
    EmbeddedChannel tx = open(ClassAllowlist.any());
    tx.writeOutbound(new Message.Reply(3, new Thread()));
    ByteBuf wire = Unpooled.buffer();
    for (Object part; (part = tx.readOutbound()) != null; ) {
      wire.writeBytes((ByteBuf) part);
    }
    EmbeddedChannel rx = open(ClassAllowlist.any());
    rx.writeInbound(wire);
    Message.Failure f = rx.readInbound();
    assertEquals(3, f.callId());
    assertTrue(f.message().contains("cannot serialize"), f.message());
  }

  @Test
  void proxies_travelAsRefs_atAnyDepth() {
    WireKryo.RefResolver refs = new WireKryo.RefResolver() {
      @Override
      public ObjectRef toRef(Object proxy) {
        return new ObjectRef("counter", "c");
      }

      @Override
      public Object resolve(ObjectRef ref) {
        return ref;
      }
    };
    Object proxy = java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Runnable.class}, (p, m, a) -> null);
    EmbeddedChannel tx = channel(codec(WireCodec.open(() -> WireKryo.create(ClassAllowlist.any(), List.of(), refs), 1 << 20)), 1 << 20);
    tx.writeOutbound(new Message.Call(1, 2, 3, new Object[] {proxy, List.of(proxy), new ArrayList<>(List.of(proxy)), Map.of("k", proxy)}, 4));
    ByteBuf wire = Unpooled.buffer();
    for (Object part; (part = tx.readOutbound()) != null; ) {
      wire.writeBytes((ByteBuf) part);
    }
    EmbeddedChannel rx = open(ClassAllowlist.of(List.of()));
    rx.writeInbound(wire);
    Message.Call c = rx.readInbound();
    ObjectRef ref = new ObjectRef("counter", "c");
    assertEquals(ref, c.args()[0]);
    assertEquals(List.of(ref), c.args()[1]);
    assertEquals(List.of(ref), c.args()[2]);
    assertEquals(Map.of("k", ref), c.args()[3]);
  }

  @Test
  void handshakeProofs_verifyOnlyWithTheSameKey() {
    byte[] key = "k1".getBytes();
    byte[] nonce = Handshake.nonce();
    assertTrue(Handshake.verify(key, nonce, Handshake.proof(key, nonce)));
    assertTrue(!Handshake.verify("k2".getBytes(), nonce, Handshake.proof(key, nonce)));
    assertTrue(!Handshake.verify(key, new byte[3], Handshake.proof(key, new byte[3])));
  }
}
