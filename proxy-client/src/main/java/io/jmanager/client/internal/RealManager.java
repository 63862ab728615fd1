package io.jmanager.client.internal;

import io.jmanager.client.AuthenticationException;
import io.jmanager.client.ConnectionListener;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.ServerInfo;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.JoinableQueue;
import io.jmanager.client.SharedBarrier;
import io.jmanager.client.SharedCondition;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedSemaphore;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedDoubleArray;
import io.jmanager.client.SharedLongArray;
import io.jmanager.client.SharedPipe;
import io.jmanager.client.SharedNamespace;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.SharedValue;
import io.jmanager.client.Pipeline;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.common.ManagerService;
import io.jmanager.wire.Message;
import io.jmanager.wire.MethodTable;
import io.jmanager.wire.ObjectRef;
import io.jmanager.wire.WireKryo;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Manager} behind {@link Manager#connect}: its {@link Connection} (replaced by a new one
 * when it is lost and reconnecting succeeds) and its proxies.
 *
 * <p><b>Reconnecting.</b> When the current connection is lost, a thread of this manager ({@code
 * jmanager-reconnect}) opens a new one, trying the addresses in order with capped exponential
 * backoff, until the time limit; then it publishes it and wakes the calls waiting for it ({@link
 * #link}). Proxies bind again by name on their next call ({@link ProxyHandler#objectIdOn}). A call
 * that never left this client ({@link NotSentException}), a bind, and a read of a built-in type
 * ({@link ProxyMethods.Info#retrySafe}) are made again on the new connection; any other call lost
 * in flight fails, its outcome unknown.
 */
public final class RealManager implements Manager, WireKryo.RefResolver {
  /**
   * The logger, made on first use: only reconnecting logs, and a client that never does must not
   * start SLF4J (which warns on stderr when it finds no backend).
   */
  private static final class Log {
    static final Logger log = LoggerFactory.getLogger(RealManager.class);
  }

  static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final List<Endpoint> endpoints;
  private final byte[] authkey;
  private final Duration connectTimeout;
  private final long reconnectNanos; // 0: a lost connection is final
  private final TlsTrust tls; // null: plain
  private final Map<String, Class<?>> userInterfaces = new ConcurrentHashMap<>();
  private final Map<ObjectRef, Holds> holds = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final Object relink = new Object(); // guards the switch to a new connection; waited on
  private volatile Connection connection;
  private volatile boolean closed; // by close() or shutdown(): no reconnecting
  private volatile ConnectionLostException gaveUp; // reconnecting ended without a connection
  private long callTimeoutNanos;
  private volatile ManagerService service;

  private RealManager(
      List<Endpoint> endpoints, byte[] authkey, TlsTrust tls, Duration connectTimeout, Duration reconnect) {
    this.endpoints = List.copyOf(endpoints);
    this.authkey = authkey.clone();
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.reconnectNanos = reconnect.toNanos();
  }

  /**
   * Connects to the first of {@code endpoints} that answers.
   *
   * @param tls how to trust the daemon over TLS on TCP addresses; null: no TLS
   * @param callTimeout null to adopt the daemon's
   * @param reconnect how long to try to reconnect after a loss; zero for never
   */
  public static Manager connect(
      List<Endpoint> endpoints, byte[] authkey, TlsTrust tls, Duration callTimeout, Duration connectTimeout,
      Duration reconnect) {
    RealManager m = new RealManager(endpoints, authkey, tls, connectTimeout, reconnect);
    Connection c = Connection.open(endpoints, authkey, tls, m, connectTimeout);
    m.callTimeoutNanos =
        (callTimeout != null ? callTimeout : Duration.ofMillis(c.welcome().callTimeoutMillis())).toNanos();
    m.connection = c;
    c.onLost(m::lost);
    return m;
  }

  // ---- the connection, and reconnecting

  /**
   * The open connection to call on: the current one, or, while reconnecting, the next one when it
   * comes.
   *
   * @param deadline a {@link System#nanoTime()} deadline for waiting, or 0 for none
   * @throws ConnectionLostException if closed, if reconnecting gave up, or at the deadline
   * @throws InterruptedException if interrupted while waiting and {@code interruptible}
   */
  Connection link(long deadline, boolean interruptible) throws InterruptedException {
    Connection c = connection;
    if (c.isOpen()) {
      return c;
    }
    boolean interrupted = false;
    try {
      synchronized (relink) {
        while (true) {
          c = connection;
          if (c.isOpen()) {
            return c;
          }
          if (closed) {
            throw c.lostException(null);
          }
          ConnectionLostException failed = gaveUp;
          if (failed != null) {
            throw new ConnectionLostException(failed.getMessage(), failed.getCause());
          }
          long waitMillis = 0;
          if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              throw new ConnectionLostException("connection to the jmanager daemon at " + c.endpoint() + " is lost ("
                  + c.lostReason() + ") and was not back within the call timeout; reconnecting goes on for up to "
                  + TimeUnit.NANOSECONDS.toMillis(reconnectNanos) + " ms");
            }
            waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
          }
          try {
            relink.wait(waitMillis);
          } catch (InterruptedException e) {
            if (interruptible) {
              throw e;
            }
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code lost}'s {@link Connection#onLost} listener: starts reconnecting, unless closed or off. */
  private void lost(Connection lost) {
    if (closed || lost != connection) {
      return;
    }
    Thread t = new Thread(() -> reconnect(lost), "jmanager-reconnect");
    t.setDaemon(true);
    t.start();
  }

  /** The reconnecting thread's loop: tries the addresses, with backoff, until connected or the limit. */
  private void reconnect(Connection lost) {
    String address = lost.endpoint().toString();
    tell(l -> l.connectionLost(address, lost.lostReason()));
    if (reconnectNanos == 0) {
      giveUp(lost.lostException(null));
      return;
    }
    long start = System.nanoTime();
    long backoff = FIRST_BACKOFF_NANOS;
    String lastFailure = lost.lostReason();
    for (int attempt = 1; !closed; attempt++) {
      long left = start + reconnectNanos - System.nanoTime();
      try {
        Connection c = Connection.open(
            endpoints, authkey, tls, this, Duration.ofNanos(Math.max(1, Math.min(connectTimeout.toNanos(), left))));
        synchronized (relink) {
          if (closed) {
            c.close();
            return;
          }
          connection = c;
          relink.notifyAll();
        }
        c.onLost(this::lost);
        int attempts = attempt;
        Log.log.info("reconnected to the jmanager daemon at {} after {} attempt(s) in {} ms", c.endpoint(), attempts,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        tell(l -> l.reconnected(c.endpoint().toString(), attempts));
        return;
      } catch (AuthenticationException e) {
        giveUp(new ConnectionLostException("connection to the jmanager daemon at " + address + " is lost ("
            + lost.lostReason() + ") and reconnecting stopped: " + e.getMessage(), e));
        return;
      } catch (ConnectionLostException e) {
        lastFailure = e.getMessage();
      }
      long pause = Math.min(backoff, start + reconnectNanos - System.nanoTime());
      if (pause <= 0) {
        giveUp(new ConnectionLostException("connection to the jmanager daemon at " + address + " is lost ("
            + lost.lostReason() + "); gave up reconnecting after " + attempt + " attempt(s) in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms; the last failure: " + lastFailure));
        return;
      }
      synchronized (relink) {
        if (!closed) {
          try {
            TimeUnit.NANOSECONDS.timedWait(relink, pause); // the backoff; close() cuts it short
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
    }
  }

  private void giveUp(ConnectionLostException why) {
    synchronized (relink) {
      gaveUp = why;
      relink.notifyAll();
    }
    if (reconnectNanos > 0) {
      Log.log.warn("{}", why.getMessage());
    }
    tell(l -> l.reconnectFailed(why.getMessage()));
  }

  private void tell(java.util.function.Consumer<ConnectionListener> event) {
    for (ConnectionListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        Log.log.warn("a connection listener failed", e);
      }
    }
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeConnectionListener(ConnectionListener listener) {
    listeners.remove(listener);
  }

  /** The daemon's own service, bound on first use (a connection that never needs it saves a call). */
  private ManagerService service() {
    ManagerService s = service;
    if (s == null) {
      synchronized (this) {
        if (service == null) {
          service = bind(ManagerService.TYPEID, ManagerService.TYPEID, ManagerService.class);
        }
        s = service;
      }
    }
    return s;
  }

  @Override
  public <K, V> SharedDict<K, V> dict(String name) {
    return builtin("dict", name);
  }

  @Override
  public <E> SharedList<E> list(String name) {
    return builtin("list", name);
  }

  @Override
  public SharedCounter counter(String name) {
    return builtin("counter", name);
  }

  @Override
  public <E> SharedQueue<E> queue(String name) {
    return builtin("queue", name);
  }

  @Override
  public <E> SharedQueue<E> queue(String name, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    return builtin("queue", name, capacity);
  }

  @Override
  public <E> JoinableQueue<E> joinableQueue(String name) {
    return builtin("joinable-queue", name);
  }

  @Override
  public <K, V> SharedCache<K, V> cache(String name, String caffeineSpec) {
    return builtin("cache", name, Objects.requireNonNull(caffeineSpec, "caffeineSpec"));
  }

  @Override
  public SharedLongArray longArray(String name, int length) {
    return builtin("long-array", name, checkLength(length));
  }

  @Override
  public SharedDoubleArray doubleArray(String name, int length) {
    return builtin("double-array", name, checkLength(length));
  }

  @Override
  public SharedPipe pipe(String name) {
    return builtin("pipe", name);
  }

  @Override
  public SharedLock lock(String name) {
    return builtin("lock", name);
  }

  @Override
  public SharedLock rlock(String name) {
    return builtin("rlock", name);
  }

  @Override
  public SharedSemaphore semaphore(String name, int permits) {
    return builtin("semaphore", name, permits);
  }

  @Override
  public SharedSemaphore boundedSemaphore(String name, int permits) {
    return builtin("bounded-semaphore", name, permits);
  }

  @Override
  public SharedCondition condition(String name) {
    return builtin("condition", name);
  }

  @Override
  public SharedEvent event(String name) {
    return builtin("event", name);
  }

  @Override
  public SharedBarrier barrier(String name, int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be at least 1, got " + parties);
    }
    return builtin("barrier", name, parties);
  }

  private static int checkLength(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative, got " + length);
    }
    return length;
  }

  @Override
  public <T> SharedValue<T> value(String name, T initial) {
    return builtin("value", name, initial);
  }

  @Override
  public SharedNamespace namespace(String name) {
    return builtin("namespace", name);
  }

  @Override
  public <T> T proxy(String typeid, String name, Class<T> iface) {
    Objects.requireNonNull(iface, "iface");
    T proxy = bind(typeid, name, iface);
    userInterfaces.putIfAbsent(typeid, iface);
    return proxy;
  }

  @Override
  public boolean exists(String name) {
    return service().exists(name);
  }

  @Override
  public void delete(String name) {
    service().delete(name);
  }

  @Override
  public Set<String> names() {
    return service().names();
  }

  @Override
  public ServerInfo info() {
    return service().info();
  }

  @Override
  public void shutdown() {
    ManagerService s = service();
    closed = true; // the daemon is stopping: do not reconnect to it
    try {
      s.shutdown();
    } catch (ConnectionLostException alreadyGone) {
      // the daemon may close the connection before its answer is read
    }
    close();
  }

  @Override
  public String address() {
    return connection.endpoint().toString();
  }

  @Override
  public boolean isConnected() {
    return connection.isOpen();
  }

  @Override
  public Pipeline pipeline() {
    return new RealPipeline(this, callTimeoutNanos);
  }

  /**
   * The addresses a worker process on this host should use, best first: the daemon's Unix socket
   * (when it has one, on this host) before the addresses this manager was given.
   */
  public String workerAddresses() {
    List<Endpoint> out = new ArrayList<>();
    String unix = connection.welcome().unixPath();
    if (!unix.isEmpty() && connection.endpoint().isThisHost() && Files.exists(java.nio.file.Path.of(unix))) {
      out.add(Endpoint.unix(java.nio.file.Path.of(unix)));
    }
    endpoints.stream().filter(e -> !out.contains(e)).forEach(out::add);
    return Endpoint.format(out);
  }

  /** The TLS trust of this manager (null: none), for passing on to worker processes. */
  public TlsTrust tls() {
    return tls;
  }

  /** The authkey this manager authenticated with, for passing on to worker processes. */
  public byte[] authkey() {
    return authkey.clone();
  }

  @Override
  public void close() {
    synchronized (relink) {
      closed = true;
      relink.notifyAll();
    }
    connection.close();
  }

  /** Identifies the daemon for proxy equality, whichever address reached it. */
  long daemonId() {
    return connection.welcome().daemonId();
  }

  /** A built-in type's proxy: its interface comes from the one type table, {@link BuiltinTypes}. */
  private <T> T builtin(String typeid, String name, Object... params) {
    return bind(typeid, name, BuiltinTypes.INTERFACES.get(typeid), params);
  }

  /** Gets or creates {@code name} on the daemon and returns a proxy bound to it. */
  @SuppressWarnings("unchecked")
  private <T> T bind(String typeid, String name, Class<?> iface, Object... params) {
    Objects.requireNonNull(name, "name");
    ObjectRef ref = new ObjectRef(Objects.requireNonNull(typeid, "typeid"), name);
    ProxyHandler h = newHandler(ref, iface, params);
    try {
      boundLink(h, Connection.deadline(callTimeoutNanos), false); // now: a wrong type or parameter fails here
    } catch (InterruptedException impossible) {
      throw new AssertionError(impossible);
    }
    return (T) newProxy(h, iface);
  }

  /**
   * Binds {@code ref} on {@code c}: gets or creates it with {@code params}, or, with {@code params}
   * null, finds an existing object (a proxy that arrived as a value).
   *
   * @return the object's id on {@code c}
   */
  int bindOn(Connection c, ObjectRef ref, MethodTable table, Object[] params, long deadline) {
    long timeout = deadline == 0 ? callTimeoutNanos : Math.max(1, deadline - System.nanoTime());
    Message answer;
    try {
      answer = c.roundTrip(
          id -> new Message.Bind(id, ref.typeid(), ref.name(), params, table.hash()), false, timeout);
    } catch (InterruptedException impossible) {
      throw new AssertionError(impossible); // not interruptible
    }
    if (answer instanceof Message.Bound b) {
      return b.objectId();
    }
    throw sneaky(Failures.toThrowable(answer, null));
  }

  private ProxyHandler newHandler(ObjectRef ref, Class<?> iface, Object[] params) {
    return new ProxyHandler(this, ref, iface, params, ProxyMethods.holdable(iface) ? holds.computeIfAbsent(ref, Holds::new) : null);
  }

  /** An open connection and the id of a proxy's object on it. */
  private record Bound(Connection connection, int objectId) {}

  /**
   * The open connection to call {@code h}'s object on, with its id there: after a reconnect, bound
   * again by name, which is safe to repeat when that connection is lost too.
   */
  private Bound boundLink(ProxyHandler h, long deadline, boolean interruptible) throws InterruptedException {
    while (true) {
      Connection c = link(deadline, interruptible);
      try {
        return new Bound(c, h.objectIdOn(c, deadline));
      } catch (ConnectionLostException e) {
        if (c.isOpen()) {
          throw e;
        }
      }
    }
  }

  private static Object newProxy(ProxyHandler h, Class<?> iface) {
    return Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, h);
  }

  /**
   * One remote call, through this thread's pipeline if it has one. Made again on the next
   * connection if it was never sent, or if it is a read lost in flight; a lock's release checks
   * first that the hold was not lost with an earlier connection ({@link Holds}).
   */
  Object call(ProxyHandler h, ProxyMethods.Info info, Object[] args) throws Throwable {
    RealPipeline pipeline = RealPipeline.current(this);
    if (pipeline != null) {
      return pipeline.capture(h, info, args);
    }
    // a blocking call (one that may park on the daemon) waits without the call timeout
    long timeout = info.blocking() ? 0 : callTimeoutNanos;
    long deadline = Connection.deadline(timeout);
    long thread = Thread.currentThread().getId();
    while (true) {
      Bound bound = boundLink(h, deadline, info.interruptible());
      Connection c = bound.connection();
      int objectId = bound.objectId();
      if (h.holds != null && info.hold() == ProxyMethods.Hold.RELEASE) {
        h.holds.beforeRelease(c, holdCount(args));
      }
      Message answer;
      try {
        long left = deadline == 0 ? 0 : Math.max(1, deadline - System.nanoTime());
        answer = c.roundTrip(id -> new Message.Call(id, objectId, info.id(), args, thread), info.interruptible(), left);
      } catch (NotSentException e) {
        continue; // the daemon never saw it: make it on the next connection
      } catch (ConnectionLostException e) {
        if (info.retrySafe() && !c.isOpen()) {
          continue; // a read: making it again changes nothing
        }
        throw e;
      }
      if (answer instanceof Message.Reply r) {
        if (h.holds != null && info.hold() != ProxyMethods.Hold.NONE) {
          counted(h.holds, c, info, args, r.value());
        }
        return r.value();
      }
      throw Failures.toThrowable(answer, info.method());
    }
  }

  /** Counts a successful acquire or release of a lock's holds or a semaphore's permits. */
  private static void counted(Holds holds, Connection c, ProxyMethods.Info info, Object[] args, Object result) {
    if (info.hold() == ProxyMethods.Hold.RELEASE) {
      holds.released(c, holdCount(args));
    } else if (!Boolean.FALSE.equals(result)) { // tryLock/tryAcquire: true when acquired
      holds.acquired(c, holdCount(args));
    }
  }

  /** The number of permits a call acquires or releases: its first int argument, else 1. */
  private static int holdCount(Object[] args) {
    return args != null && args.length > 0 && args[0] instanceof Integer n ? n : 1;
  }

  /** {@link #link(long, boolean)}, waiting through interrupts. */
  Connection link(long deadline) {
    try {
      return link(deadline, false);
    } catch (InterruptedException impossible) {
      throw new AssertionError(impossible);
    }
  }

  @Override
  public ObjectRef toRef(Object proxy) {
    if (Proxy.getInvocationHandler(proxy) instanceof ProxyHandler h) {
      return h.ref();
    }
    throw new IllegalArgumentException("cannot send " + proxy.getClass().getName() + ": not a jmanager proxy");
  }

  @Override
  public Object resolve(ObjectRef ref) {
    Class<?> iface = BuiltinTypes.INTERFACES.get(ref.typeid());
    if (iface == null) {
      iface = userInterfaces.get(ref.typeid());
    }
    return iface == null ? ref : newProxy(newHandler(ref, iface, null), iface);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
