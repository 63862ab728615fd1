package io.jmanager.server;

import io.jmanager.client.internal.BuiltinTypes;
import io.jmanager.wire.Frames;
import io.jmanager.wire.Message;
import io.jmanager.wire.MessageCodec;
import io.jmanager.wire.WireKryo;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** The daemon pipeline: framing, codec (Auth only until authenticated), handshake, then calls. */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  private final ManagerServer server;

  ServerInitializer(ManagerServer server) {
    this.server = server;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ServerConfig c = server.config();
    Frames.addTo(ch.pipeline(), Frames.HANDSHAKE_MAX_FRAME_BYTES);
    MessageCodec codec = MessageCodec.only(() -> {
      var kryo = WireKryo.create(c.allowlist, BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);
      kryo.setClassLoader(server.userLoader());
      return kryo;
    }, c.maxFrameBytes, Message.Auth.class);
    ch.pipeline().addLast("codec", codec).addLast("handshake", new HandshakeHandler(server, codec));
  }
}
