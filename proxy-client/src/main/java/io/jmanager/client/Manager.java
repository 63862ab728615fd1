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
 * dict("registry")} gets the same daemon-side object. Each binds its proxy at once, in one round
 * trip, so a name already bound to another type, or created with other parameters, throws {@link
 * IllegalStateException} naming both from the factory method, not from a later call. A null name
 * throws {@link NullPointerException}.
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
   * @param address where the daemon listens
   * @return a connected manager, with the default options of {@link ManagerBuilder}
   * @throws IllegalArgumentException if {@code address} is not of these forms
   * @throws AuthenticationException if no authkey is found or the daemon rejects it
   * @throws ConnectionLostException if the daemon cannot be reached
   */
  static Manager connect(String address) {
    return builder().address(address).connect();
  }

  /**
   * {@return a builder for a manager with options other than the defaults} The builder connects
   * only when asked to ({@link ManagerBuilder#connect()}).
   */
  static ManagerBuilder builder() {
    return new ManagerBuilder();
  }

  /**
   * Connects as {@link WorkerProcess} children do: address from {@code JMANAGER_ADDRESS}, authkey
   * from {@code JMANAGER_AUTHKEY}.
   *
   * @return a connected manager
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

  /**
   * {@return the dict named {@code name}, created empty if there is none}
   *
   * @param name the object's name on the daemon
   * @param <K> the key type
   * @param <V> the value type
   */
  <K, V> SharedDict<K, V> dict(String name);

  /**
   * {@return the list named {@code name}, created empty if there is none}
   *
   * @param name the object's name on the daemon
   * @param <E> the element type
   */
  <E> SharedList<E> list(String name);

  /**
   * {@return the counter named {@code name}, created at 0 if there is none}
   *
   * @param name the object's name on the daemon
   */
  SharedCounter counter(String name);

  /**
   * {@return the queue named {@code name}: any existing one, whatever its capacity, else a new
   * unbounded one}
   *
   * @param name the object's name on the daemon
   * @param <E> the element type
   */
  <E> SharedQueue<E> queue(String name);

  /**
   * {@return the queue named {@code name} that holds at most {@code capacity} items, created empty
   * if there is none}
   *
   * @param name the object's name on the daemon
   * @param capacity the most items the queue holds; {@code put} blocks while it is full
   * @param <E> the element type
   * @throws IllegalArgumentException if {@code capacity} is not positive
   * @throws IllegalStateException if it exists with another capacity
   */
  <E> SharedQueue<E> queue(String name, int capacity);

  /**
   * {@return the joinable queue named {@code name}: any existing one, else a new unbounded one}
   *
   * @param name the object's name on the daemon
   * @param <E> the element type
   */
  <E> JoinableQueue<E> joinableQueue(String name);

  /**
   * {@return the cache named {@code name}, built from a Caffeine spec (e.g. {@code
   * "maximumSize=10000,expireAfterWrite=30s,recordStats"}) if there is none}
   *
   * @param name the object's name on the daemon
   * @param caffeineSpec the cache's bounds and expiry, in Caffeine's {@code CaffeineSpec} syntax
   * @param <K> the key type
   * @param <V> the value type
   * @throws NullPointerException if {@code caffeineSpec} is null
   * @throws IllegalArgumentException if the spec is invalid
   * @throws IllegalStateException if the cache exists with another spec
   */
  <K, V> SharedCache<K, V> cache(String name, String caffeineSpec);

  /**
   * {@return the long array named {@code name}, of {@code length} zeros when created}
   *
   * @param name the object's name on the daemon
   * @param length the number of elements
   * @throws IllegalArgumentException if {@code length} is negative
   * @throws IllegalStateException if it exists with another length
   */
  SharedLongArray longArray(String name, int length);

  /**
   * {@return the double array named {@code name}, of {@code length} zeros when created}
   *
   * @param name the object's name on the daemon
   * @param length the number of elements
   * @throws IllegalArgumentException if {@code length} is negative
   * @throws IllegalStateException if it exists with another length
   */
  SharedDoubleArray doubleArray(String name, int length);

  /**
   * {@return the pipe named {@code name}: two ends, each receiving what the other sends}
   *
   * @param name the object's name on the daemon
   */
  SharedPipe pipe(String name);

  /**
   * {@return the lock named {@code name}, created unlocked: not reentrant (Python's {@code Lock})}
   *
   * @param name the object's name on the daemon
   */
  SharedLock lock(String name);

  /**
   * {@return the reentrant lock named {@code name}, created unlocked (Python's {@code RLock})}
   *
   * @param name the object's name on the daemon
   */
  SharedLock rlock(String name);

  /**
   * {@return the semaphore named {@code name}, with {@code permits} when created}
   *
   * @param name the object's name on the daemon
   * @param permits the permits available at creation
   * @throws IllegalStateException if it exists with another number of permits
   */
  SharedSemaphore semaphore(String name, int permits);

  /**
   * {@return the bounded semaphore named {@code name}: releasing above {@code permits} is an error}
   *
   * @param name the object's name on the daemon
   * @param permits the permits available at creation, and the most it may ever hold
   * @throws IllegalStateException if it exists with another number of permits
   */
  SharedSemaphore boundedSemaphore(String name, int permits);

  /**
   * {@return the condition named {@code name}, with its own reentrant lock}
   *
   * @param name the object's name on the daemon
   */
  SharedCondition condition(String name);

  /**
   * {@return the event named {@code name}, clear when created}
   *
   * @param name the object's name on the daemon
   */
  SharedEvent event(String name);

  /**
   * {@return the barrier named {@code name} for {@code parties} parties}
   *
   * @param name the object's name on the daemon
   * @param parties how many calls of {@code await} trip the barrier
   * @throws IllegalArgumentException if {@code parties} is less than 1
   * @throws IllegalStateException if it exists with another number of parties
   */
  SharedBarrier barrier(String name, int parties);

  /**
   * {@return the value named {@code name}; {@code initial} is used only if this call creates it}
   *
   * @param name the object's name on the daemon
   * @param initial the value it holds when this call creates it; may be null
   * @param <T> the value's type
   */
  <T> SharedValue<T> value(String name, T initial);

  /**
   * {@return the namespace named {@code name}, created without attributes if there is none}
   *
   * @param name the object's name on the daemon
   */
  SharedNamespace namespace(String name);

  /**
   * A proxy for a user-registered type (Python's {@code register()}): gets or creates the object
   * named {@code name} of type {@code typeid}, which the daemon was started with.
   *
   * @param typeid the type id the daemon registered the type under
   * @param name the object's name on the daemon
   * @param iface the interface the proxy implements; its methods are the type's remote methods
   * @param <T> the proxy's interface type
   * @return a proxy bound to the object
   * @throws IllegalArgumentException if the daemon has no type {@code typeid}
   * @throws IllegalStateException if {@code iface} does not match the registered interface
   */
  <T> T proxy(String typeid, String name, Class<T> iface);

  /**
   * {@return whether the daemon has an object named {@code name}, of any type} One round trip.
   *
   * @param name the object's name on the daemon
   */
  boolean exists(String name);

  /**
   * Deletes the named object; later calls through its proxies fail. A missing name is a no-op.
   *
   * @param name the object's name on the daemon
   */
  void delete(String name);

  /** {@return the names of every object on the daemon: a snapshot copy, taken in one round trip} */
  Set<String> names();

  /** {@return a snapshot of the daemon's state: version, uptime, objects, sessions, load} */
  ServerInfo info();

  /** Stops the daemon (Python's {@code manager.shutdown()}); this connection is closed after. */
  void shutdown();

  /**
   * {@return a new pipeline for calls of this manager's proxies from this thread: sent without
   * waiting, answered as futures} See {@link Pipeline}.
   */
  Pipeline pipeline();

  /**
   * {@return the daemon's address as this manager reached it, as {@link #connect} takes it: {@code
   * host:port} or {@code unix:/path/to/socket}}
   */
  String address();

  /**
   * {@return whether the connection is up: false once closed, and while lost} Calls made while it
   * is lost wait for the reconnect, or throw {@link ConnectionLostException} once it has given up.
   */
  boolean isConnected();

  /**
   * Tells {@code listener} of this manager's connection losses and reconnects, from now on.
   *
   * @param listener called on the manager's reconnecting thread
   * @throws NullPointerException if {@code listener} is null
   */
  void addConnectionListener(ConnectionListener listener);

  /**
   * Stops telling {@code listener} of connection events; a listener never added is ignored.
   *
   * @param listener a listener given to {@link #addConnectionListener}
   */
  void removeConnectionListener(ConnectionListener listener);

  /** Disconnects; the daemon and its objects live on. Idempotent. */
  @Override
  void close();
}
