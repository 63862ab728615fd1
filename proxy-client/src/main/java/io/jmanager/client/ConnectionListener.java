package io.jmanager.client;

/**
 * Hears about a {@link Manager}'s connection: when it drops, when the manager has reconnected, and
 * when it gives up. Register with {@link Manager#addConnectionListener}. Called on the manager's
 * reconnecting thread, one event at a time and in order; a listener should return quickly, and
 * what it throws is logged and ignored. Every method does nothing by default.
 */
public interface ConnectionListener {
  /**
   * The connection to the daemon at {@code address} dropped, for {@code reason}. Calls in flight
   * failed with {@link ConnectionLostException} (their outcome unknown); locks, rlock holds and
   * semaphore permits of the lost connection are gone (the daemon released them). Reconnecting
   * begins, unless it is off.
   *
   * @param address the daemon's address, as {@link Manager#address()} gives it
   * @param reason why, in words (the I/O error, or missed heartbeats)
   */
  default void connectionLost(String address, String reason) {}

  /**
   * The manager is connected again, to the daemon at {@code address}, after {@code attempts}
   * attempts; proxies bind again by name on their next call.
   *
   * @param address the address that answered, which may be another of the manager's addresses
   * @param attempts connection attempts made, this one included
   */
  default void reconnected(String address, int attempts) {}

  /**
   * Reconnecting ended without a connection ({@code reason} says why: the time limit, or a daemon
   * that refused the authkey); every later call throws {@link ConnectionLostException}.
   *
   * @param reason why, in words
   */
  default void reconnectFailed(String reason) {}
}
