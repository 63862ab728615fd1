package io.jmanager.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.esotericsoftware.kryo.Kryo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The transport-neutral codec: frames in and out, and no Kryo instance before authentication. */
class WireCodecTest {
  private final AtomicInteger kryosMade = new AtomicInteger();
  private final Supplier<Kryo> kryos = () -> {
    kryosMade.incrementAndGet();
    return WireKryo.create(ClassAllowlist.any(), List.of(), WireKryo.RefResolver.IDENTITY);
  };

  private static Message roundTrip(WireCodec from, WireCodec to, Message m) {
    int n = from.encode(m);
    byte[] frame = Arrays.copyOf(from.frameBytes(), n);
    assertEquals(n - Frames.LENGTH_BYTES,
        (frame[0] & 0xff) << 24 | (frame[1] & 0xff) << 16 | (frame[2] & 0xff) << 8 | (frame[3] & 0xff),
        "the length prefix");
    return to.decode(frame, Frames.LENGTH_BYTES, n - Frames.LENGTH_BYTES);
  }

  @Test
  void theHandshake_needsNoKryo_untilTheFirstCall() {
    WireCodec server = WireCodec.only(kryos, 1 << 20, Message.Auth.class);
    WireCodec client = WireCodec.only(kryos, 1 << 20, Message.Hello.class, Message.Welcome.class, Message.Denied.class);
    byte[] nonce = Handshake.nonce();
    Message.Hello hello = (Message.Hello) roundTrip(server, client, new Message.Hello(2, nonce));
    assertArrayEquals(nonce, hello.serverNonce());
    Message.Auth auth = (Message.Auth) roundTrip(client, server, new Message.Auth(new byte[32], nonce, 42));
    assertEquals(42, auth.pid());
    Message.Welcome w = (Message.Welcome) roundTrip(server, client,
        new Message.Welcome(7, new byte[32], 1000, 3000, 30000, 1 << 20, 99L, "/tmp/x.sock"));
    assertEquals("/tmp/x.sock", w.unixPath());
    assertEquals(99L, w.daemonId());
    assertEquals(0, kryosMade.get(), "no Kryo instance during the handshake");

    server.acceptAll();
    client.acceptAll();
    Message.Call call = (Message.Call) roundTrip(client, server, new Message.Call(5, 1, 2, new Object[] {"k", 1}, 3));
    assertEquals(List.of("k", 1), Arrays.asList(call.args()));
    assertEquals(2, kryosMade.get(), "one each, on first use");
  }

  @Test
  void beforeAcceptAll_anythingButTheNamedHandshakeMessages_isRefused() {
    WireCodec open = WireCodec.open(kryos, 1 << 20);
    WireCodec server = WireCodec.only(kryos, 1 << 20, Message.Auth.class);
    int n = open.encode(new Message.Call(1, 0, 0, null, 1));
    byte[] frame = Arrays.copyOf(open.frameBytes(), n);
    assertThrows(WireException.class, () -> server.decode(frame, Frames.LENGTH_BYTES, n - Frames.LENGTH_BYTES));
    assertThrows(IllegalArgumentException.class, () -> WireCodec.only(kryos, 1024, Message.Call.class));
  }
}
