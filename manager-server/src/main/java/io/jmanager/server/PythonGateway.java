package io.jmanager.server;

import io.jmanager.server.netty.NettyTransport;
import io.jmanager.server.netty.PythonFrameDecoder;
import io.jmanager.server.python.PythonHandshake;
import io.jmanager.server.python.PythonPickle;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python gateway: a listener ({@code python.bind}:{@code python.port}) that speaks CPython's
 * {@code multiprocessing.managers} protocol, so that an unmodified CPython {@code BaseManager}
 * client uses the daemon's named objects ({@link PythonConnection} serves each connection). It
 * also keeps the objects Python clients get anonymously (the iterators of {@code iter(d)}), with
 * CPython's reference counts, and frees those left unused for {@code python.idle.timeout}, so a
 * crashed Python client leaks nothing.
 */
final class PythonGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PythonGateway.class);
  /** The largest handshake message CPython exchanges (its own limit is 256 bytes). */
  static final int HANDSHAKE_MAX_FRAME_BYTES = PythonHandshake.MAX_MESSAGE_BYTES;

  private final ManagerServer server;
  private final Channel channel;
  private final PythonPickle pickle;
  private final Map<String, Anonymous> anonymous = new ConcurrentHashMap<>();
  private final AtomicLong anonymousIds = new AtomicLong();
  private final ScheduledFuture<?> sweeper;

  /** An object a Python client was given by a call's result: an iterator over a snapshot. */
  static final class Anonymous {
    final List<Object> items;
    int next; // guarded by this
    int refs; // guarded by this
    volatile long lastUsed = System.nanoTime();

    Anonymous(List<Object> items) {
      this.items = new ArrayList<>(items);
    }
  }

  PythonGateway(ManagerServer server, EventLoopGroup boss, EventLoopGroup workers) {
    this.server = server;
    ServerConfig c = server.config();
    this.pickle = new PythonPickle(c.maxDepth);
    try {
      this.channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NettyTransport.serverChannel())
          .handler(new AcceptGate(server.failures(), server.limits()))
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true) // CPython's client sends each request in two writes
          // CPython's client sends no heartbeat and keeps idle connections: the kernel's keepalive
          // is what ends one whose host died (a killed client's socket closes at once)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              if (server.metering() != null) {
                ch.pipeline().addLast("bytes", server.metering().byteCounter());
              }
              ch.pipeline()
                  .addLast("frames", new PythonFrameDecoder(HANDSHAKE_MAX_FRAME_BYTES))
                  .addLast("python", new PythonConnection(server, PythonGateway.this));
            }
          })
          .bind(c.pythonBind, c.pythonPort)
          .syncUninterruptibly()
          .channel();
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot listen for Python clients on " + c.pythonBind + ":" + c.pythonPort
          + " (python.bind, python.port): " + e.getMessage(), e);
    }
    long sweep = Math.max(1, c.pythonIdleTimeout.toMillis() / 4);
    this.sweeper = workers.scheduleAtFixedRate(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    log.info("Python gateway listening on {} (CPython multiprocessing.managers clients)", address());
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  PythonPickle pickle() {
    return pickle;
  }

  /** Keeps an iterator over {@code items} for a Python client; returns its ident (one reference, the result's). */
  String iterator(List<Object> items) {
    String ident = "i" + anonymousIds.incrementAndGet();
    Anonymous a = new Anonymous(items);
    a.refs = 1;
    anonymous.put(ident, a);
    return ident;
  }

  /** The anonymous object {@code ident}, or null if it was freed. */
  Anonymous anonymous(String ident) {
    Anonymous a = anonymous.get(ident);
    if (a != null) {
      a.lastUsed = System.nanoTime();
    }
    return a;
  }

  void incref(String ident) {
    Anonymous a = anonymous(ident);
    if (a != null) {
      synchronized (a) {
        a.refs++;
      }
    }
  }

  void decref(String ident) {
    Anonymous a = anonymous.get(ident);
    if (a != null) {
      synchronized (a) {
        if (--a.refs <= 0) {
          anonymous.remove(ident);
        }
      }
    }
  }

  /** How many anonymous objects are kept (for status and tests). */
  int anonymousCount() {
    return anonymous.size();
  }

  private void sweep() {
    long idle = server.config().pythonIdleTimeout.toNanos();
    long now = System.nanoTime();
    anonymous.entrySet().removeIf(e -> now - e.getValue().lastUsed > idle);
  }

  @Override
  public void close() {
    sweeper.cancel(false);
    channel.close().awaitUninterruptibly();
  }
}
