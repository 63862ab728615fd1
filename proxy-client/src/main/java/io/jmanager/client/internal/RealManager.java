package io.jmanager.client.internal;

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

/** The {@link Manager} behind {@link Manager#connect}: one {@link Connection} and its proxies. */
public final class RealManager implements Manager, WireKryo.RefResolver {
  private final List<Endpoint> endpoints;
  private final byte[] authkey;
  private final TlsTrust tls; // null: plain
  private final Map<String, Class<?>> userInterfaces = new ConcurrentHashMap<>();
  private Connection connection;
  private long callTimeoutNanos;
  private volatile ManagerService service;

  private RealManager(List<Endpoint> endpoints, byte[] authkey, TlsTrust tls) {
    this.endpoints = List.copyOf(endpoints);
    this.authkey = authkey.clone();
    this.tls = tls;
  }

  /**
   * Connects to the first of {@code endpoints} that answers.
   *
   * @param tls how to trust the daemon over TLS on TCP addresses; null: no TLS
   * @param callTimeout null to adopt the daemon's
   */
  public static Manager connect(
      List<Endpoint> endpoints, byte[] authkey, TlsTrust tls, Duration callTimeout, Duration connectTimeout) {
    RealManager m = new RealManager(endpoints, authkey, tls);
    m.connection = Connection.open(endpoints, authkey, tls, m, connectTimeout);
    m.callTimeoutNanos =
        (callTimeout != null ? callTimeout : Duration.ofMillis(m.connection.welcome().callTimeoutMillis())).toNanos();
    return m;
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
    try {
      service().shutdown();
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
    return new RealPipeline(this, connection, callTimeoutNanos);
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
    int id = bindRoundTrip(ref, MethodTable.of(iface), params);
    return (T) newProxy(ref, iface, id);
  }

  /** Binds a proxy that arrived as a value: the object must already exist. */
  int bindExisting(ObjectRef ref, MethodTable table) {
    return bindRoundTrip(ref, table, null);
  }

  private int bindRoundTrip(ObjectRef ref, MethodTable table, Object[] params) {
    Message answer = roundTrip(
        id -> new Message.Bind(id, ref.typeid(), ref.name(), params, table.hash()), false, false);
    if (answer instanceof Message.Bound b) {
      return b.objectId();
    }
    throw sneaky(Failures.toThrowable(answer, null));
  }

  private Object newProxy(ObjectRef ref, Class<?> iface, int objectId) {
    return Proxy.newProxyInstance(
        iface.getClassLoader(), new Class<?>[] {iface}, new ProxyHandler(this, ref, iface, objectId));
  }

  Object call(ProxyHandler h, ProxyMethods.Info info, Object[] args) throws Throwable {
    int objectId = h.objectId();
    RealPipeline pipeline = RealPipeline.current(this);
    if (pipeline != null) {
      return pipeline.capture(objectId, info, args);
    }
    Message answer =
        roundTrip(id -> new Message.Call(id, objectId, info.id(), args, Thread.currentThread().getId()),
            info.interruptible(), info.blocking());
    if (answer instanceof Message.Reply r) {
      return r.value();
    }
    throw Failures.toThrowable(answer, info.method());
  }

  /** A blocking call (one that may park on the daemon) waits without the call timeout. */
  private Message roundTrip(
      java.util.function.LongFunction<Message> build, boolean interruptible, boolean blocking) {
    try {
      return connection.roundTrip(build, interruptible, blocking ? 0 : callTimeoutNanos);
    } catch (InterruptedException e) {
      throw sneaky(e); // only when the called method declares InterruptedException
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
    return iface == null ? ref : newProxy(ref, iface, -1);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
