package io.jmanager.client.internal;

import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.Frames;
import io.jmanager.wire.Message;
import io.jmanager.wire.MessageCodec;
import io.jmanager.wire.WireKryo;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.CompletableFuture;

/** The client pipeline: framing, codec, then the one client handler (heartbeats join after Welcome). */
final class ClientInitializer extends ChannelInitializer<SocketChannel> {
  private final Connection connection;
  private final byte[] authkey;
  private final WireKryo.RefResolver refs;
  private final CompletableFuture<Message.Welcome> handshake;

  ClientInitializer(
      Connection connection, byte[] authkey, WireKryo.RefResolver refs,
      CompletableFuture<Message.Welcome> handshake) {
    this.connection = connection;
    this.authkey = authkey;
    this.refs = refs;
    this.handshake = handshake;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    // until the daemon has proved it holds the key: small frames, handshake messages only
    Frames.addTo(ch.pipeline(), Frames.HANDSHAKE_MAX_FRAME_BYTES);
    ch.pipeline()
        .addLast(
            "codec",
            MessageCodec.only(
                () -> WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, refs),
                Frames.DEFAULT_MAX_FRAME_BYTES,
                Message.Hello.class, Message.Welcome.class, Message.Denied.class))
        .addLast("client", new ClientHandler(connection, authkey, handshake));
  }
}
