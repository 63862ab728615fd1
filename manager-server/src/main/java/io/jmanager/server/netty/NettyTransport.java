package io.jmanager.server.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Netty's native epoll transport where it loads (Linux), NIO elsewhere; one choice per JVM
 * ({@code -Djmanager.transport.nio=true} forces NIO). Both serve TCP and Unix domain sockets.
 */
public final class NettyTransport {
  private static final boolean EPOLL =
      Epoll.isAvailable() && !Boolean.getBoolean("jmanager.transport.nio");

  private NettyTransport() {}

  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }

  /** An event-loop group of {@code threads} daemon threads named {@code prefix-N}. */
  public static EventLoopGroup newGroup(int threads, String prefix) {
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), io);
  }

  public static Class<? extends ServerChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends ServerChannel> serverDomainChannel() {
    return EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
  }

  /** The address a {@link #serverDomainChannel()} binds to for the socket file {@code path}. */
  public static SocketAddress domainAddress(Path path) {
    return EPOLL ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
  }
}
