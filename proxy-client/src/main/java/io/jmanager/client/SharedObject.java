package io.jmanager.client;

/**
 * A proxy for an object held by the manager daemon. Every method of a shared-object interface is
 * one round trip to the daemon and atomic on the object there, unless its javadoc says it runs in
 * the caller (the interface's default methods, built from atomic remote calls). Proxies are
 * thread-safe: many threads may call one proxy at once, and their calls are multiplexed over the
 * owning {@link Manager}'s connection.
 *
 * <p>{@code toString()} makes no remote call. {@code equals}/{@code hashCode} compare the remote
 * object's identity (same daemon, same name), except for {@link SharedDict} and {@link SharedList},
 * which compare content as {@code Map} and {@code List} require.
 */
public interface SharedObject {
  /** {@return the object's name on the daemon} Answered locally. */
  String name();

  /** {@return the object's type id ({@code dict}, {@code list}, ...)} Answered locally. */
  String typeid();
}
