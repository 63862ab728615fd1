package io.jmanager.server;

import io.jmanager.common.BuiltinTypes;
import io.jmanager.server.netty.Frames;
import io.jmanager.server.netty.MessageCodec;
import io.jmanager.server.tls.DaemonTls;
import io.jmanager.wire.Message;
import io.jmanager.wire.WireCodec;
import io.jmanager.wire.WireKryo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The daemon pipeline, for TCP and Unix-socket connections alike: TLS (TCP only, with {@code
 * tls.enabled}), framing, codec (Auth only until authenticated), handshake, then calls. (Connections from an address refused for its failed
 * handshakes, or beyond {@code max.connections}, never get here: {@link AcceptGate} closes them on
 * accept, and counts the others against the connection limits.)
 */
final class ServerInitializer extends ChannelInitializer<Channel> {
  private final ManagerServer server;
  private final DaemonTls tls; // null: plain (a Unix socket, or TLS off)

  ServerInitializer(ManagerServer server, DaemonTls tls) {
    this.server = server;
    this.tls = tls;
  }

  @Override
  protected void initChannel(Channel ch) {
    ServerConfig c = server.config();
    if (server.metering() != null) {
      ch.pipeline().addLast("bytes", server.metering().byteCounter());
    }
    if (tls != null) {
      ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
    }
    Frames.addTo(ch.pipeline(), io.jmanager.wire.Frames.HANDSHAKE_MAX_FRAME_BYTES);
    WireCodec codec = WireCodec.only(() -> {
      var kryo = WireKryo.create(c.allowlist, BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);
      kryo.setClassLoader(server.userLoader());
      return kryo;
    }, c.maxFrameBytes, Message.Auth.class);
    codec.maxReadDepth(c.maxDepth);
    ch.pipeline().addLast("codec", new MessageCodec(codec)).addLast("handshake", new HandshakeHandler(server, codec));
  }
}
