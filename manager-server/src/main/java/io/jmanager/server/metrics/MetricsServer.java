package io.jmanager.server.metrics;

import io.jmanager.server.netty.NettyTransport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP listener ({@code metrics.port}): Prometheus metrics at {@code /metrics}, the live
 * dashboard at {@code /} (a static page and its script, which polls {@code /api/state}). It has an
 * event loop of its own, so a scrape never delays a call. Bound to loopback (the default) it asks
 * for no credentials but refuses requests whose {@code Host} is not a loopback name (a web page
 * elsewhere cannot read it through DNS rebinding); bound elsewhere, every request must carry the
 * daemon's dashboard token ({@link #token(byte[])}: derived from the authkey), as {@code ?token=}
 * or {@code Authorization: Bearer}.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private static final String PAGE = "dashboard.html";
  private static final String SCRIPT = "dashboard.js";

  private final DaemonMetrics metrics;
  private final EventLoopGroup group;
  private final Channel channel;
  private final String token; // null: loopback, no token
  private final byte[] page;
  private final byte[] script;
  /**
   * Where the daemon's state is read, for a scrape, the dashboard and the sampling: off the event
   * loop, as reading an object's size may wait (in cluster mode each asks the cluster).
   */
  private final java.util.concurrent.ScheduledExecutorService work =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          new io.netty.util.concurrent.DefaultThreadFactory("jmanager-metrics-work", true));

  /**
   * Listens on {@code bind}:{@code port} (0: a free port) and starts sampling {@code metrics} once
   * a second for the dashboard.
   *
   * @param metrics what {@code /metrics} and the dashboard serve
   * @param bind the address to listen on
   * @param port the port, or 0 for a free one
   * @param authkey the daemon's authkey, from which the token is derived when {@code bind} is not loopback
   * @throws IllegalStateException if the address cannot be bound
   */
  public MetricsServer(DaemonMetrics metrics, String bind, int port, byte[] authkey) {
    this.metrics = metrics;
    this.page = resource(PAGE);
    this.script = resource(SCRIPT);
    this.token = loopback(bind) ? null : token(authkey);
    this.group = NettyTransport.newGroup(1, "jmanager-metrics");
    try {
      this.channel = new ServerBootstrap()
          .group(group)
          .channel(NettyTransport.serverChannel())
          .option(ChannelOption.SO_REUSEADDR, true)
          .childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline()
                  .addLast(new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                  .addLast(new HttpServerCodec(4096, 8192, 8192))
                  .addLast(new HttpObjectAggregator(64 * 1024))
                  .addLast(new Handler());
            }
          })
          .bind(bind, port)
          .syncUninterruptibly()
          .channel();
    } catch (Exception e) { // Netty rethrows the bind's BindException as it is, unchecked or not
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      work.shutdownNow();
      throw new IllegalStateException("cannot serve metrics on " + bind + ":" + port + " (metrics.bind, metrics.port): "
          + e.getMessage() + (port != 0 ? "; metrics.port=0 picks a free port" : ""), e);
    }
    work.execute(metrics::sample);
    work.scheduleAtFixedRate(metrics::sample, 1, 1, TimeUnit.SECONDS);
  }

  /** {@return the address it listens on (the real port when started with port 0)} */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** {@return whether requests must carry the token: true when the listener is not on loopback} */
  public boolean tokenRequired() {
    return token != null;
  }

  /** {@return the dashboard's address, with the token in it when one is required} */
  public String url() {
    return baseUrl() + (token == null ? "" : "?token=" + token);
  }

  /** {@return the listener's address as a URL ending in {@code /}, without the token} */
  public String baseUrl() {
    InetSocketAddress a = address();
    String host = a.getAddress().isAnyLocalAddress() ? hostName() : a.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/";
  }

  /**
   * The dashboard token of a daemon with {@code authkey}: the first 128 bits of HMAC-SHA256(authkey,
   * "jmanager dashboard"), in hex. Whoever has the authkey can compute it; it does not reveal the key.
   *
   * @param authkey the daemon's authkey
   * @return 32 hex digits
   */
  public static String token(byte[] authkey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(authkey, "HmacSHA256"));
      byte[] h = mac.doFinal("jmanager dashboard".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /**
   * {@return whether {@code bind} is a loopback address; false if it cannot be resolved}
   *
   * @param bind a host name or IP address
   */
  public static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    work.shutdownNow();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = MetricsServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from the manager-server jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (!request.decoderResult().isSuccess()) {
        send(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", text("malformed request\n"));
        return;
      }
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      String refusal = refusal(request, uri);
      if (refusal != null) {
        send(ctx, request, HttpResponseStatus.UNAUTHORIZED, "text/plain; charset=utf-8", text(refusal + "\n"));
        return;
      }
      if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
        send(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", text("GET only\n"));
        return;
      }
      switch (uri.path()) {
        case "/metrics" -> {
          String accept = request.headers().get(HttpHeaderNames.ACCEPT);
          answerOffLoop(ctx, request, DaemonMetrics.contentType(accept), () -> metrics.scrape(accept));
        }
        case "/", "/index.html" -> send(ctx, request, HttpResponseStatus.OK, "text/html; charset=utf-8", page);
        case "/" + SCRIPT -> send(ctx, request, HttpResponseStatus.OK, "text/javascript; charset=utf-8", script);
        case "/api/state" -> answerOffLoop(ctx, request, "application/json", metrics::stateJson);
        default -> send(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
            text("not found: " + uri.path() + " (the dashboard is at /, metrics at /metrics)\n"));
      }
    }

    /** Answers {@code request} with what {@code body} reads, on the work thread. */
    private void answerOffLoop(ChannelHandlerContext ctx, FullHttpRequest request, String contentType,
        java.util.function.Supplier<String> body) {
      request.retain(); // released when answered: the handler releases its own hold on return
      try {
        work.execute(() -> {
          try {
            send(ctx, request, HttpResponseStatus.OK, contentType, text(body.get()));
          } catch (RuntimeException e) {
            log.warn("cannot read the daemon's state for {}: {}", request.uri(), e.toString());
            send(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                text("cannot read the daemon's state: " + e + "\n"));
          } finally {
            request.release();
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        request.release();
        ctx.close();
      }
    }

    /** Why {@code request} is refused, or null if it may be served. */
    private String refusal(FullHttpRequest request, QueryStringDecoder uri) {
      if (token == null) {
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        return loopbackHost(host) ? null
            : "the daemon's metrics listener is bound to loopback and answers requests for a loopback host only, not '"
                + host + "'";
      }
      String given = null;
      List<String> q = uri.parameters().get("token");
      if (q != null && !q.isEmpty()) {
        given = q.get(0);
      }
      String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        given = auth.substring(7).trim();
      }
      if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
          token.getBytes(StandardCharsets.UTF_8))) {
        return null;
      }
      return "this daemon's metrics and dashboard need its token (?token= or Authorization: Bearer):"
          + " `bin/jmanager status` prints the dashboard's address with it";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("metrics connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  static boolean loopbackHost(String hostHeader) {
    String h = hostHeader.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      return h.startsWith("[::1]");
    }
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon);
    return name.equals("localhost") || name.endsWith(".localhost") || name.startsWith("127.");
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
      String contentType, byte[] body) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        .set("Referrer-Policy", "no-referrer");
    boolean keepAlive = HttpUtil.isKeepAlive(request) && status.code() < 400;
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
