package io.jmanager.client.internal;

import io.jmanager.client.AuthenticationException;
import io.jmanager.client.CallTimeoutException;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.ManagerException;
import io.jmanager.wire.Message;
import io.jmanager.wire.Transport;
import io.jmanager.wire.WireKryo;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One authenticated, multiplexed TCP connection to the daemon. Any thread may call {@link
 * #roundTrip}: it registers a pending answer under a fresh call id, writes, and waits; the event
 * loop completes the answer whenever it arrives, in any order. When the channel closes, every
 * pending and later round trip fails with {@link ConnectionLostException}.
 */
public final class Connection {
  private static final class Group {
    static final EventLoopGroup INSTANCE = Transport.newGroup(1, "jmanager-client");
  }

  private final InetSocketAddress address;
  private final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
  private final AtomicLong callIds = new AtomicLong();
  private volatile Channel channel;
  private volatile String lostReason;

  private Connection(InetSocketAddress address) {
    this.address = address;
  }

  /** Connects, runs the handshake and returns the daemon's {@link Message.Welcome} with it. */
  static Connected open(
      InetSocketAddress address, byte[] authkey, WireKryo.RefResolver refs, Duration connectTimeout) {
    Connection conn = new Connection(address);
    CompletableFuture<Message.Welcome> handshake = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(Group.INSTANCE)
            .channel(Transport.clientChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .handler(new ClientInitializer(conn, authkey, refs, handshake));
    InetSocketAddress target =
        address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    ChannelFuture cf = b.connect(target);
    if (!cf.awaitUninterruptibly(connectTimeout.toMillis()) || !cf.isSuccess()) {
      cf.channel().close();
      throw new ConnectionLostException(
          "cannot connect to the jmanager daemon at " + display(address) + " (is it running?): "
              + (cf.cause() == null ? "timed out" : cf.cause().getMessage()),
          cf.cause());
    }
    conn.channel = cf.channel();
    try {
      return new Connected(conn, handshake.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      conn.close();
      if (e.getCause() instanceof ManagerException me) {
        throw me instanceof AuthenticationException
            ? new AuthenticationException(me.getMessage())
            : new ConnectionLostException(me.getMessage(), me);
      }
      throw new ConnectionLostException("handshake with " + display(address) + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      conn.close();
      throw new ConnectionLostException("no handshake from " + display(address) + " within " + connectTimeout);
    } catch (InterruptedException e) {
      conn.close();
      Thread.currentThread().interrupt();
      throw new ConnectionLostException("interrupted while connecting to " + display(address));
    }
  }

  record Connected(Connection connection, Message.Welcome welcome) {}

  InetSocketAddress address() {
    return address;
  }

  /**
   * Sends the message {@code build} makes for a fresh call id and waits for its answer: a {@link
   * Message.Reply}, {@link Message.Bound}, {@link Message.Failure} or {@link Message.Unreadable}.
   *
   * @param interruptible whether an interrupt ends the wait ({@link InterruptedException}, and
   *     the daemon is told to drop the call); otherwise the wait goes on and the flag is restored
   * @param timeoutNanos how long to wait; {@code <= 0} waits for as long as the connection lives
   */
  Message roundTrip(LongFunction<Message> build, boolean interruptible, long timeoutNanos)
      throws InterruptedException {
    long callId = callIds.incrementAndGet();
    PendingCall answer = new PendingCall();
    pending.put(callId, answer);
    if (lostReason != null) {
      pending.remove(callId);
      throw lostException(null);
    }
    channel
        .writeAndFlush(build.apply(callId))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(callId, f.cause());
              }
            });
    return await(callId, answer, interruptible, timeoutNanos);
  }

  private Message await(long callId, PendingCall answer, boolean interruptible, long timeoutNanos)
      throws InterruptedException {
    Object outcome;
    try {
      outcome = answer.await(timeoutNanos, interruptible);
    } catch (InterruptedException e) {
      outcome = cancel(callId, answer);
    } catch (TimeoutException e) {
      abandon(callId);
      throw new CallTimeoutException(
          "no answer from the daemon at " + display(address) + " within "
              + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
    }
    if (outcome instanceof Message m) {
      return m;
    }
    Throwable cause = (Throwable) outcome;
    if (cause instanceof ConnectionLostException) {
      throw lostException(cause);
    }
    Throwable root = cause.getCause() != null ? cause.getCause() : cause;
    if (String.valueOf(root.getMessage()).startsWith("Buffer overflow")) {
      throw new IllegalArgumentException(
          "the call is larger than the daemon's max.frame.bytes (" + root.getMessage() + ")", cause);
    }
    throw new ManagerException("cannot send the call: " + cause.getMessage(), cause);
  }

  /**
   * The caller of a parked call was interrupted: asks the daemon to drop the wait and takes its
   * verdict. A wait dropped in time throws {@link InterruptedException}; one answered first returns
   * that answer (so a taken item or a granted lock is never lost) with the interrupt flag set.
   */
  private Object cancel(long callId, PendingCall answer) throws InterruptedException {
    channel.writeAndFlush(new Message.Cancel(callId));
    Object outcome;
    try {
      outcome = answer.await(0, false);
    } catch (TimeoutException impossible) {
      throw new AssertionError(impossible);
    }
    if (outcome instanceof Message.Failure f && f.type().equals(InterruptedException.class.getName())) {
      throw new InterruptedException(f.message());
    }
    Thread.currentThread().interrupt();
    return outcome;
  }

  /** The caller gave up on {@code callId}: forget it here and tell the daemon to drop its wait. */
  private void abandon(long callId) {
    if (pending.remove(callId) != null && lostReason == null) {
      channel.writeAndFlush(new Message.Cancel(callId));
    }
  }

  /** Called on the event loop with the daemon's answer to {@code callId}. */
  void answer(long callId, Message answer) {
    PendingCall f = pending.remove(callId);
    if (f != null) {
      f.complete(answer);
    }
  }

  private void fail(long callId, Throwable cause) {
    PendingCall f = pending.remove(callId);
    if (f != null) {
      f.complete(lostReason != null ? new ConnectionLostException(lostReason) : cause);
    }
  }

  /** Called once when the channel closes: fails everything pending, and everything later. */
  void lost(String reason) {
    if (lostReason == null) {
      lostReason = reason;
    }
    ConnectionLostException e = new ConnectionLostException(lostReason);
    for (Long id : pending.keySet()) {
      PendingCall f = pending.remove(id);
      if (f != null) {
        f.complete(e);
      }
    }
  }

  private ConnectionLostException lostException(Throwable cause) {
    return new ConnectionLostException(
        "connection to the jmanager daemon at " + display(address) + " is lost: " + lostReason, cause);
  }

  void close() {
    lost("closed by this client");
    Channel ch = channel;
    if (ch != null) {
      ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  static String display(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }
}
