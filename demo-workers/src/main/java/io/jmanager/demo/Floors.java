package io.jmanager.demo;

import io.jmanager.wire.Frames;
import io.jmanager.wire.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The two floors every case is compared with, served by the bench's own JVM: a blocking-socket echo
 * (the least a round trip between two JVMs costs) and a Netty echo with jmanager's framing but no
 * Kryo or dispatch (what the transport alone costs).
 */
final class Floors implements AutoCloseable {
  private final ServerSocket socketServer;
  private final EventLoopGroup group = Transport.newGroup(2, "floor-netty");
  private final Channel nettyServer;

  Floors() throws IOException, InterruptedException {
    socketServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "floor-socket-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    nettyServer = new ServerBootstrap().group(group).channel(Transport.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(framed((ctx, frame) -> ctx.writeAndFlush(frame.retain())))
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
  }

  /** jmanager's own framing ({@link Frames}), then {@code onFrame} for each frame: no Kryo, no dispatch. */
  static ChannelInitializer<SocketChannel> framed(BiConsumer<ChannelHandlerContext, ByteBuf> onFrame) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        Frames.addTo(ch.pipeline(), Frames.DEFAULT_MAX_FRAME_BYTES);
        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            onFrame.accept(ctx, frame);
          }
        });
      }
    };
  }

  int socketPort() {
    return socketServer.getLocalPort();
  }

  int nettyPort() {
    return ((java.net.InetSocketAddress) nettyServer.localAddress()).getPort();
  }

  private void acceptLoop() {
    while (!socketServer.isClosed()) {
      try {
        Socket s = socketServer.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> echo(s), "floor-socket-echo");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void echo(Socket s) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()))) {
      byte[] buf = new byte[0];
      while (true) {
        int n = in.readInt();
        if (buf.length < n) {
          buf = new byte[n];
        }
        in.readFully(buf, 0, n);
        out.writeInt(n);
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException done) {
      // client finished
    }
  }

  @Override
  public void close() throws IOException {
    socketServer.close();
    nettyServer.close().syncUninterruptibly();
    group.shutdownGracefully();
  }

  /** Blocking socket ping-pong: a 4-byte length and the payload each way. */
  static final class SocketClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final byte[] payload;

    SocketClient(int port, int payloadBytes) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
      payload = new byte[payloadBytes + 16]; // about what a call frame adds around its value
    }

    void roundTrip() throws IOException {
      out.writeInt(payload.length);
      out.write(payload);
      out.flush();
      int n = in.readInt();
      in.readFully(payload, 0, n);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Netty ping-pong with the caller thread waiting, as a proxy call waits. */
  static final class NettyClient implements AutoCloseable {
    private final EventLoopGroup group = Transport.newGroup(1, "floor-client");
    private final Channel channel;
    private final AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();
    private final byte[] payload;

    NettyClient(int port, int payloadBytes) throws InterruptedException {
      payload = new byte[payloadBytes + 16];
      channel = new Bootstrap().group(group).channel(Transport.clientChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(framed((ctx, frame) -> pending.get().complete(null)))
          .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
    }

    void roundTrip() throws Exception {
      CompletableFuture<Void> f = new CompletableFuture<>();
      pending.set(f);
      channel.writeAndFlush(Unpooled.wrappedBuffer(payload));
      f.get();
    }

    @Override
    public void close() {
      channel.close().syncUninterruptibly();
      group.shutdownGracefully();
    }
  }
}
