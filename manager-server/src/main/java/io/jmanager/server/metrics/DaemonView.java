package io.jmanager.server.metrics;

import java.util.List;

/**
 * What the metrics and the dashboard read of a running daemon, at scrape or refresh time: plain
 * snapshots, so this package knows nothing of sessions or the registry.
 */
public interface DaemonView {
  /** {@return the daemon's jmanager version} */
  String version();

  /** {@return the address the daemon's clients connect to} */
  String address();

  /** {@return every shared object, as a snapshot} */
  List<ObjectRow> objects();

  /** {@return every connected session, as a snapshot} */
  List<SessionRow> sessions();

  /** {@return who holds a lock, a permit or a condition, and who waits for one, with since when} */
  List<PartyRow> parties();

  /** {@return the calls parked on the daemon (takes, lock waits, awaits) over all sessions} */
  long parkedCalls();

  /** {@return the data bytes in use as {@code max.data.bytes} counts them} */
  long dataBytes();

  /** {@return the data budget, {@code max.data.bytes}, in bytes} */
  long dataBudget();

  /**
   * One shared object.
   *
   * @param name its name
   * @param type its typeid
   * @param size its element count, or -1 if its type has none
   * @param details type-specific state, as {@code bin/jmanager status} shows it
   */
  record ObjectRow(String name, String type, long size, String details) {}

  /**
   * One connected client.
   *
   * @param id the session id
   * @param pid the client's process id
   * @param address the client's remote address
   * @param calls calls the session has made
   */
  record SessionRow(long id, long pid, String address, long calls) {}

  /**
   * A holder of, or a waiter for, a lock-like object.
   *
   * @param object the object's name
   * @param type the object's typeid
   * @param role {@code "holds"} or {@code "waits"}
   * @param sessionId the holder's or waiter's session
   * @param pid its process id
   * @param thread its client thread id
   * @param sinceNanos {@link System#nanoTime()} when it started to hold or wait, or -1 if unknown
   */
  record PartyRow(String object, String type, String role, long sessionId, long pid, long thread, long sinceNanos) {}
}
