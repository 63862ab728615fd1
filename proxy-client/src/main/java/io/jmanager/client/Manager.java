package io.jmanager.client;

import io.jmanager.common.Authkeys;
import java.util.Set;

/**
 * A connection to a jmanager daemon and the factory of proxies for its shared objects — Python's
 * {@code BaseManager} client side. One {@code Manager} holds one multiplexed connection (TCP or a
 * Unix socket); all its proxies and threads share it, and calls from different threads are in
 * flight at once. A calling thread does its own I/O: a call made from one thread costs one write
 * and one read, with no hand-off to another thread.
 *
 * <p>The factory methods get or create an object by name: every process that asks for {@code
 * dict("registry")} gets the same daemon-side object. A name already bound to another type, or
 * created with other parameters, throws {@link IllegalStateException} naming both.
 *
 * <p><b>Reconnecting.</b> When the connection drops, the manager reconnects in the background
 * (trying its addresses in order, with capped exponential backoff, for up to 30 s by default: see
 * {@link ManagerBuilder#reconnect}), and its proxies bind again by name on their next call. A call
 * made meanwhile waits for the new connection within its call timeout. A call that was in flight
 * when the connection dropped fails with {@link ConnectionLostException}: its outcome is unknown,
 * and it is not sent again, except the reads of built-in types, which change nothing and are made
 * again. Locks, rlock holds and semaphore permits of the lost connection are gone (the daemon
 * released them): the holder's next {@code unlock}/{@code release} throws {@link
 * IllegalMonitorStateException} saying so. {@link #addConnectionListener} hears of each event.
 *
 * <p>Thread-safe. Every call throws {@link ConnectionLostException} once the daemon is gone and
 * reconnecting has given up, and {@link CallTimeoutException} if the daemon does not answer within
 * the call timeout.
 */
public interface Manager extends AutoCloseable {

  /**
   * Connects to {@code address} with the authkey from {@code JMANAGER_AUTHKEY} (hex) or, if that
   * is unset, the file {@code ~/.jmanager/authkey}. The address is {@code host:port} (TCP), {@code
   * unix:/path/to/socket} (a daemon's Unix socket on this host: the fastest way to a local daemon),
   * or a comma-separated list of these, tried in order.
   *
   * @throws AuthenticationException if no authkey is found or the daemon rejects it
   * @throws ConnectionLostException if the daemon cannot be reached
   */
  static Manager connect(String address) {
    return builder().address(address).connect();
  }

  static ManagerBuilder builder() {
    return new ManagerBuilder();
  }

  /**
   * Connects as {@link WorkerProcess} children do: address from {@code JMANAGER_ADDRESS}, authkey
   * from {@code JMANAGER_AUTHKEY}.
   *
   * @throws IllegalStateException if {@code JMANAGER_ADDRESS} is not set
   */
  static Manager fromEnvironment() {
    String address = System.getenv(Authkeys.ADDRESS_ENV);
    if (address == null || address.isBlank()) {
      throw new IllegalStateException(
          Authkeys.ADDRESS_ENV + " is not set: start this JVM with WorkerProcess, or use Manager.connect");
    }
    return connect(address);
  }

  <K, V> SharedDict<K, V> dict(String name);

  <E> SharedList<E> list(String name);

  SharedCounter counter(String name);

  /** The queue named {@code name}: any existing one, whatever its capacity, else a new unbounded one. */
  <E> SharedQueue<E> queue(String name);

  /**
   * The queue named {@code name} with {@code capacity}.
   *
   * @throws IllegalStateException if it exists with another capacity
   */
  <E> SharedQueue<E> queue(String name, int capacity);

  /** The joinable queue named {@code name}: any existing one, else a new unbounded one. */
  <E> JoinableQueue<E> joinableQueue(String name);

  /**
   * The cache named {@code name}, built from a Caffeine spec (e.g. {@code
   * "maximumSize=10000,expireAfterWrite=30s,recordStats"}).
   *
   * @throws IllegalArgumentException if the spec is invalid
   * @throws IllegalStateException if the cache exists with another spec
   */
  <K, V> SharedCache<K, V> cache(String name, String caffeineSpec);

  /** The long array named {@code name}, of {@code length} zeros when created. */
  SharedLongArray longArray(String name, int length);

  /** The double array named {@code name}, of {@code length} zeros when created. */
  SharedDoubleArray doubleArray(String name, int length);

  /** The pipe named {@code name}: two ends, each receiving what the other sends. */
  SharedPipe pipe(String name);

  /** The lock named {@code name}: not reentrant (Python's {@code Lock}). */
  SharedLock lock(String name);

  /** The reentrant lock named {@code name} (Python's {@code RLock}). */
  SharedLock rlock(String name);

  /** The semaphore named {@code name}, with {@code permits} when created. */
  SharedSemaphore semaphore(String name, int permits);

  /** The bounded semaphore named {@code name}: releasing above {@code permits} is an error. */
  SharedSemaphore boundedSemaphore(String name, int permits);

  /** The condition named {@code name}, with its own reentrant lock. */
  SharedCondition condition(String name);

  /** The event named {@code name}, clear when created. */
  SharedEvent event(String name);

  /**
   * The barrier named {@code name} for {@code parties} parties.
   *
   * @throws IllegalStateException if it exists with another number of parties
   */
  SharedBarrier barrier(String name, int parties);

  /** The value named {@code name}; {@code initial} is used only if this call creates it. */
  <T> SharedValue<T> value(String name, T initial);

  SharedNamespace namespace(String name);

  /**
   * A proxy for a user-registered type (Python's {@code register()}).
   *
   * @throws IllegalArgumentException if the daemon has no type {@code typeid}
   * @throws IllegalStateException if {@code iface} does not match the registered interface
   */
  <T> T proxy(String typeid, String name, Class<T> iface);

  boolean exists(String name);

  /** Deletes the named object; later calls through its proxies fail. A missing name is a no-op. */
  void delete(String name);

  Set<String> names();

  ServerInfo info();

  /** Stops the daemon (Python's {@code manager.shutdown()}); this connection is closed after. */
  void shutdown();

  /**
   * A pipeline for calls of this manager's proxies from this thread: sent without waiting, answered
   * as futures. See {@link Pipeline}.
   */
  Pipeline pipeline();

  /**
   * The daemon's address as this manager reached it, as {@link #connect} takes it: {@code
   * host:port} or {@code unix:/path/to/socket}.
   */
  String address();

  /**
   * Whether the connection is up: false once closed, and while lost (calls then wait for the
   * reconnect, or throw {@link ConnectionLostException} once it has given up).
   */
  boolean isConnected();

  /** Tells {@code listener} of this manager's connection losses and reconnects, from now on. */
  void addConnectionListener(ConnectionListener listener);

  void removeConnectionListener(ConnectionListener listener);

  /** Disconnects; the daemon and its objects live on. Idempotent. */
  @Override
  void close();
}
