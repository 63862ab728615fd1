package io.jmanager.demo;

import io.jmanager.server.netty.Frames;
import io.jmanager.server.netty.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floors every case is compared with, served by the bench's own JVM and measured by a blocking
 * {@link SocketChannel} client in a worker JVM (the least a round trip between two JVMs costs):
 * <ul>
 *   <li>{@code floor.socket}: a blocking TCP echo;
 *   <li>{@code floor.unix}: the same over a Unix domain socket;
 *   <li>{@code floor.netty}: a Netty echo with the daemon's framing and transport, but no Kryo or
 *       dispatch (what the daemon's transport alone costs).
 * </ul>
 */
final class Floors implements AutoCloseable {
  private final ServerSocketChannel tcpEcho;
  private final ServerSocketChannel unixEcho;
  private final Path unixPath;
  private final EventLoopGroup group = NettyTransport.newGroup(2, "floor-netty");
  private final Channel nettyServer;

  Floors() throws IOException, InterruptedException {
    tcpEcho = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    unixPath = Files.createTempDirectory("jmanager-floor").resolve("echo.sock");
    unixEcho = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(unixPath));
    acceptLoop(tcpEcho, "floor-socket-accept");
    acceptLoop(unixEcho, "floor-unix-accept");
    nettyServer = new ServerBootstrap().group(group).channel(NettyTransport.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            Frames.addTo(ch.pipeline(), io.jmanager.wire.Frames.DEFAULT_MAX_FRAME_BYTES);
            ch.pipeline().addLast(new LengthFieldPrepender(4)).addLast(new SimpleChannelInboundHandler<ByteBuf>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                ctx.writeAndFlush(frame.retain());
              }
            });
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
  }

  /** The address a worker's {@link Client} connects to for {@code floor}: {@code host:port} or {@code unix:/path}. */
  String address(String floor) {
    return switch (floor) {
      case "floor.socket" -> "127.0.0.1:" + ((InetSocketAddress) local(tcpEcho)).getPort();
      case "floor.unix" -> "unix:" + unixPath;
      case "floor.netty" -> "127.0.0.1:" + ((InetSocketAddress) nettyServer.localAddress()).getPort();
      default -> "";
    };
  }

  private static SocketAddress local(ServerSocketChannel ch) {
    try {
      return ch.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void acceptLoop(ServerSocketChannel server, String name) {
    Thread acceptor = new Thread(() -> {
      while (server.isOpen()) {
        try {
          SocketChannel s = server.accept();
          Thread t = new Thread(() -> echo(s), "floor-echo");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void echo(SocketChannel s) {
    try (s) {
      if (s.getLocalAddress() instanceof InetSocketAddress) {
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      ByteBuffer header = ByteBuffer.allocate(4);
      ByteBuffer body = ByteBuffer.allocate(0);
      while (true) {
        header.clear();
        readFully(s, header);
        int n = header.flip().getInt(0);
        if (body.capacity() < n) {
          body = ByteBuffer.allocate(n);
        }
        body.clear().limit(n);
        readFully(s, body);
        body.flip();
        s.write(new ByteBuffer[] {header.rewind(), body});
      }
    } catch (IOException done) {
      // the client finished
    }
  }

  static void readFully(SocketChannel s, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (s.read(b) < 0) {
        throw new IOException("closed");
      }
    }
  }

  @Override
  public void close() throws IOException {
    tcpEcho.close();
    unixEcho.close();
    Files.deleteIfExists(unixPath);
    Files.deleteIfExists(unixPath.getParent());
    nettyServer.close().syncUninterruptibly();
    group.shutdownGracefully();
  }

  /** Blocking ping-pong on a {@link SocketChannel}: a 4-byte length and the payload each way. */
  static final class Client implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer out;
    private final ByteBuffer in;

    Client(String address, int payloadBytes) throws IOException {
      if (address.startsWith("unix:")) {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(address.substring(5)));
      } else {
        int colon = address.lastIndexOf(':');
        channel = SocketChannel.open(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      int n = payloadBytes + 16; // about what a call frame adds around its value
      out = ByteBuffer.allocate(4 + n).putInt(n);
      in = ByteBuffer.allocate(4 + n);
    }

    void roundTrip() throws IOException {
      out.rewind();
      while (out.hasRemaining()) {
        channel.write(out);
      }
      in.clear();
      readFully(channel, in);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
