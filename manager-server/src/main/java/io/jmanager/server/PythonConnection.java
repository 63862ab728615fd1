package io.jmanager.server;

import io.jmanager.client.PythonTuple;
import io.jmanager.server.netty.PythonFrameDecoder;
import io.jmanager.server.python.PythonError;
import io.jmanager.server.python.PythonException;
import io.jmanager.server.python.PythonFrames;
import io.jmanager.server.python.PythonHandshake;
import io.jmanager.server.python.PythonMethods;
import io.jmanager.server.python.PythonReply;
import io.jmanager.server.python.PythonRequest;
import io.jmanager.server.python.PythonToken;
import io.jmanager.server.python.UnpicklingException;
import io.jmanager.wire.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CPython client connection on the {@link PythonGateway}: CPython's handshake (both forms, see
 * {@link PythonHandshake}), then its requests. Each request on a shared object becomes the {@code
 * Call} of the Java method that does the same ({@link PythonMethods}), served by a {@link
 * ServerHandler} of its own session like any Java client's call: the journal, parked waits (a
 * {@code get} on an empty queue costs no thread), owners (a Python lock's owner is its connection,
 * which CPython opens per thread) and the data budget all apply. Requests to the server itself
 * ({@code create}, {@code incref}, {@code accept_connection}, ...) are answered here.
 *
 * <p>Everything runs on the connection's event loop: the outbound {@code Reply}, {@code Failure}
 * and {@code Bound} messages come back through {@link #write} and go out as CPython's reply
 * tuples. CPython's client never answers a {@code Ping}: the items a {@code get} hands over count
 * as delivered once their reply is written to the socket.
 */
final class PythonConnection extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(PythonConnection.class);

  /** The typeids a Python client asks for ({@code register('get_dict', ...)}) and the daemon's types they are. */
  static final Map<String, String> TYPEIDS = Map.of(
      "get_dict", "dict",
      "get_list", "list",
      "get_queue", "queue",
      "get_joinable_queue", "joinable-queue",
      "get_lock", "lock",
      "get_value", "value");

  private final ManagerServer server;
  private final PythonGateway gateway;
  private PythonHandshake handshake; // null once authenticated
  private ScheduledFuture<?> handshakeTimeout;
  private Session session;
  private long nextCallId;
  private int lastFrameBytes;
  /** What the answer of each call in flight becomes in Python: by call id. */
  private final Map<Long, Function<Message, PythonReply>> inFlight = new HashMap<>();

  PythonConnection(ManagerServer server, PythonGateway gateway) {
    this.server = server;
    this.gateway = gateway;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    handshake = new PythonHandshake(server.authkey());
    long millis = server.config().handshakeTimeout.toMillis();
    handshakeTimeout = ctx.executor().schedule(() -> {
      ctx.close();
      server.failures().failed(HandshakeFailures.remoteIp(ctx.channel()), HandshakeFailures.Kind.TIMED_OUT,
          "Python gateway, handshake.timeout=" + millis + "ms");
    }, millis, TimeUnit.MILLISECONDS);
    send(ctx, handshake.challenge());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
    }
    ctx.fireChannelInactive(); // the ServerHandler, once there, closes the session
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    byte[] body = (byte[]) msg;
    if (handshake != null) {
      handshake(ctx, body);
      return;
    }
    lastFrameBytes = body.length;
    PythonRequest request;
    try {
      request = gateway.pickle().decodeRequest(body);
    } catch (UnpicklingException e) {
      // a value outside the table, or a refused global: that request fails, the connection stays
      if (session.firstUnreadable()) {
        log.warn("{} (Python) sent a request the daemon refuses to read (it fails; further ones are logged at debug): {}",
            session, e.getMessage());
      } else {
        log.debug("{}: unreadable request: {}", session, e.getMessage());
      }
      reply(ctx, new PythonReply.Error(PythonError.of(PythonError.Kind.TYPE_ERROR, e.getMessage())));
      return;
    } catch (RuntimeException e) {
      log.warn("closing {}: not a request of CPython's managers protocol: {}", session, e.getMessage());
      ctx.close();
      return;
    }
    try {
      serve(ctx, request);
    } catch (PythonException e) {
      reply(ctx, new PythonReply.Error(e.error()));
    } catch (RuntimeException e) {
      reply(ctx, new PythonReply.Traceback(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private void handshake(ChannelHandlerContext ctx, byte[] body) {
    PythonHandshake.Step step = handshake.receive(body);
    if (step.reply() != null) {
      send(ctx, step.reply());
    }
    switch (step.outcome()) {
      case CONTINUE -> { }
      case FAILED -> {
        handshakeTimeout.cancel(false);
        server.failures().failed(HandshakeFailures.remoteIp(ctx.channel()), HandshakeFailures.Kind.WRONG_AUTHKEY,
            "Python gateway: " + step.failure());
        ctx.flush();
        ctx.close();
      }
      case AUTHENTICATED -> {
        handshakeTimeout.cancel(false);
        handshake = null;
        server.limits().authenticated(ctx.channel());
        session = server.openSession(ctx.channel(), 0);
        ctx.pipeline().get(PythonFrameDecoder.class).setMax(server.config().maxFrameBytes);
        ctx.pipeline().addAfter(ctx.name(), "server", new ServerHandler(server, session, () -> lastFrameBytes));
        log.debug("{} connected (Python)", session);
      }
    }
  }

  /** Serves one request: here, or as a call through the session's {@link ServerHandler}. */
  private void serve(ChannelHandlerContext ctx, PythonRequest r) {
    if (r.ident() == null) {
      serverRequest(ctx, r);
    } else if (r.ident().startsWith("i")) {
      iteratorRequest(ctx, r);
    } else {
      objectRequest(ctx, r);
    }
  }

  /** CPython's {@code Server.public} methods. */
  private void serverRequest(ChannelHandlerContext ctx, PythonRequest r) {
    switch (r.methodName()) {
      case "create" -> create(ctx, r);
      case "accept_connection", "dummy" -> reply(ctx, new PythonReply.Return(null));
      case "incref" -> {
        gateway.incref(String.valueOf(r.args().get(0)));
        reply(ctx, new PythonReply.Return(null));
      }
      case "decref" -> {
        gateway.decref(String.valueOf(r.args().get(0)));
        reply(ctx, new PythonReply.Return(null));
      }
      case "number_of_objects" -> reply(ctx, new PythonReply.Return(server.registry().live().size() + gateway.anonymousCount()));
      case "debug_info" -> reply(ctx, new PythonReply.Return(server.info().toString()));
      case "shutdown" -> {
        if (!server.config().pythonShutdown) {
          reply(ctx, new PythonReply.Traceback("this daemon refuses shutdown from Python clients (python.shutdown=false);"
              + " stop it with bin/jmanager shutdown"));
          return;
        }
        reply(ctx, new PythonReply.Return(null));
        server.closeAsync();
      }
      default -> reply(ctx, new PythonReply.Traceback("the daemon has no method '" + r.methodName()
          + "' (CPython's Server.public: create, incref, decref, accept_connection, dummy, shutdown, debug_info,"
          + " number_of_objects)"));
    }
  }

  /** {@code create(typeid, name, *params)}: binds the named object, as Java's {@code m.dict(name)} does. */
  private void create(ChannelHandlerContext ctx, PythonRequest r) {
    List<Object> args = r.args();
    String pythonTypeid = args.isEmpty() ? null : String.valueOf(args.get(0));
    String typeid = TYPEIDS.get(pythonTypeid);
    if (typeid == null) {
      throw new PythonException(PythonError.of(PythonError.Kind.KEY_ERROR, pythonTypeid));
    }
    if (args.size() < 2 || !(args.get(1) instanceof String name) || name.isEmpty()) {
      throw new PythonException(PythonError.of(PythonError.Kind.TYPE_ERROR,
          pythonTypeid + "(name) needs the shared object's name, a non-empty str (the name Java's workers use)"));
    }
    Object[] params = params(typeid, args.subList(2, args.size()), r.kwds());
    TypeSpec spec = server.registry().spec(typeid);
    long callId = ++nextCallId;
    inFlight.put(callId, answer -> answer instanceof Message.Bound b
        ? new PythonReply.Return(PythonTuple.of("o" + b.objectId(), PythonTuple.copyOf(PythonMethods.exposed(typeid))))
        : failure((Message.Failure) answer));
    ctx.fireChannelRead(new Message.Bind(callId, typeid, name, params, spec.table().hash()));
  }

  /** The daemon's creation parameters of {@code typeid} from a Python client's extra arguments. */
  private static Object[] params(String typeid, List<Object> extra, Map<String, Object> kwds) {
    switch (typeid) {
      case "queue", "joinable-queue" -> {
        Object maxsize = !extra.isEmpty() ? extra.get(0) : kwds.get("maxsize");
        if (maxsize == null || maxsize.equals(0)) {
          return new Object[0]; // unbounded, or whatever exists
        }
        if (!(maxsize instanceof Integer n) || n < 0) {
          throw new PythonException(PythonError.of(PythonError.Kind.VALUE_ERROR,
              "maxsize must be a non-negative int below 2**31, got " + maxsize));
        }
        return new Object[] {n};
      }
      case "value" -> {
        return new Object[] {!extra.isEmpty() ? extra.get(0) : kwds.get("value")}; // a fresh value holds None
      }
      default -> {
        return new Object[0];
      }
    }
  }

  /** A method of a shared object: a call of the Java method that does the same. */
  private void objectRequest(ChannelHandlerContext ctx, PythonRequest r) {
    ObjectRegistry.Entry e;
    try {
      e = server.registry().get(Integer.parseInt(r.ident().substring(1)));
    } catch (IllegalArgumentException unknown) { // not a number, or no such object
      throw new PythonException(PythonError.of(PythonError.Kind.KEY_ERROR, r.ident()));
    }
    if (!PythonMethods.typeids().contains(e.spec.typeid())) {
      throw new PythonException(PythonError.of(PythonError.Kind.TYPE_ERROR,
          e.describe() + " is not served to Python clients (they get: " + PythonMethods.typeids() + ")"));
    }
    run(ctx, e, PythonMethods.plan(e.spec.typeid(), r.methodName(), r.args(), r.kwds()));
  }

  /**
   * Runs {@code plan} on {@code e}: answered at once if it makes no call, else as a call whose
   * answer goes through the plan's mappings (which may ask for a further call).
   */
  private void run(ChannelHandlerContext ctx, ObjectRegistry.Entry e, PythonMethods.Plan plan) {
    if (plan.isLocal()) {
      PythonReply reply = next(ctx, e, () -> plan.result().apply(null));
      if (reply != null) {
        reply(ctx, reply);
      }
      return;
    }
    long callId = ++nextCallId;
    inFlight.put(callId, answer -> {
      if (answer instanceof Message.Reply reply) {
        return next(ctx, e, () -> plan.result().apply(reply.value()));
      }
      Message.Failure f = (Message.Failure) answer;
      return next(ctx, e, () -> plan.failure().apply(rebuilt(f)));
    });
    ctx.fireChannelRead(new Message.Call(callId, e.id, e.spec.table().idOf(plan.method()), plan.args(), 0));
  }

  /**
   * The reply a plan's mapping gives, or null if it asks for a further plan: that one then runs
   * (after the answer being written), and its answer is the reply.
   */
  private PythonReply next(ChannelHandlerContext ctx, ObjectRegistry.Entry e, java.util.function.Supplier<Object> mapping) {
    Object value;
    try {
      value = mapping.get();
    } catch (PythonException p) {
      return new PythonReply.Error(p.error());
    }
    if (value instanceof PythonMethods.Plan further) {
      ctx.executor().execute(() -> run(ctx, e, further));
      return null;
    }
    return python(value);
  }

  /** The daemon's failure as the exception it was, where it is a JDK type; else one naming it. */
  private static Throwable rebuilt(Message.Failure f) {
    try {
      Class<?> type = Class.forName(f.type(), false, PythonConnection.class.getClassLoader());
      if (f.type().startsWith("java.") && Throwable.class.isAssignableFrom(type)) {
        return (Throwable) type.getConstructor(String.class).newInstance(f.message());
      }
    } catch (ReflectiveOperationException | LinkageError notRebuilt) {
      // described below
    }
    return new RuntimeException(f.type() + (f.message() == null ? "" : ": " + f.message()));
  }

  /** {@code __next__} (or {@code send}, {@code close}) on an iterator this gateway keeps. */
  private void iteratorRequest(ChannelHandlerContext ctx, PythonRequest r) {
    PythonGateway.Anonymous it = gateway.anonymous(r.ident());
    if (it == null) {
      throw new PythonException(PythonError.of(PythonError.Kind.KEY_ERROR, r.ident()));
    }
    Object next;
    synchronized (it) {
      switch (r.methodName()) {
        case "__next__", "send" -> {
          if (it.next >= it.items.size()) {
            throw new PythonException(PythonError.of(PythonError.Kind.STOP_ITERATION));
          }
          next = it.items.get(it.next++);
        }
        case "close" -> {
          it.next = it.items.size();
          next = null;
        }
        default -> throw new PythonException(PythonError.of(PythonError.Kind.ATTRIBUTE_ERROR,
            "method '" + r.methodName() + "' of an iterator is not in exposed=" + PythonMethods.IteratorOver.EXPOSED));
      }
    }
    reply(ctx, new PythonReply.Return(next));
  }

  /** The Python reply for a Python value: the value, or an iterator proxy. */
  private PythonReply python(Object value) {
    if (value instanceof PythonMethods.IteratorOver it) {
      String ident = gateway.iterator(it.items());
      java.net.InetSocketAddress a = gateway.address();
      return new PythonReply.Proxy(PythonMethods.IteratorOver.EXPOSED,
          PythonToken.tcp(PythonMethods.IteratorOver.TYPEID, a.getAddress().getHostAddress(), a.getPort(), ident));
    }
    return new PythonReply.Return(value);
  }

  private static PythonReply failure(Message.Failure f) {
    return new PythonReply.Error(PythonMethods.translate(rebuilt(f)));
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long callId;
    if (msg instanceof Message.Reply m) {
      callId = m.callId();
    } else if (msg instanceof Message.Failure m) {
      callId = m.callId();
    } else if (msg instanceof Message.Bound m) {
      callId = m.callId();
    } else if (msg instanceof Message.Ping) {
      // CPython's client never answers one: what it confirms (items handed over) counts as delivered
      // once the replies before it are written to the socket (write promises complete in order)
      promise.addListener(written -> {
        if (written.isSuccess() && ctx.channel().isActive()) {
          ctx.fireChannelRead(new Message.Pong());
        }
      });
      ctx.write(Unpooled.EMPTY_BUFFER, promise);
      return;
    } else if (msg instanceof Message) {
      promise.setSuccess(); // nothing else of the Java wire has a Python form
      return;
    } else {
      ctx.write(msg, promise);
      return;
    }
    Function<Message, PythonReply> answer = inFlight.remove(callId);
    PythonReply reply = answer == null ? null : answer.apply((Message) msg);
    if (reply == null) { // a call no one waits for, or one whose answer is a further call
      promise.setSuccess();
      return;
    }
    ctx.write(frame(reply), promise);
  }

  private void reply(ChannelHandlerContext ctx, PythonReply reply) {
    ctx.writeAndFlush(frame(reply));
  }

  private io.netty.buffer.ByteBuf frame(PythonReply reply) {
    byte[] body;
    try {
      body = gateway.pickle().encodeReply(reply);
    } catch (IllegalArgumentException unpicklable) {
      body = gateway.pickle().encodeReply(new PythonReply.Unserializable(unpicklable.getMessage()));
    }
    return framed(body);
  }

  private static void send(ChannelHandlerContext ctx, byte[] body) {
    ctx.writeAndFlush(framed(body));
  }

  /** {@code body} behind CPython's length header, without a copy. */
  private static io.netty.buffer.ByteBuf framed(byte[] body) {
    return Unpooled.wrappedBuffer(PythonFrames.header(body.length), body);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("Python connection {} ended: {}", ctx.channel().remoteAddress(), cause.getMessage());
    } else if (handshake != null) {
      server.failures().failed(HandshakeFailures.remoteIp(ctx.channel()), HandshakeFailures.Kind.MALFORMED,
          "Python gateway: " + cause.getMessage());
    } else {
      log.warn("closing Python {}: {}", session, cause.getMessage());
    }
    ctx.close();
  }
}
