package io.jmanager.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the daemon's state, from {@link Manager#info()}: what {@code bin/jmanager status}
 * prints.
 *
 * @param version the daemon's jmanager version
 * @param address the address the daemon listens on
 * @param uptime time since the daemon started
 * @param objectsByType number of objects per typeid
 * @param objects every shared object: name, type and size
 * @param sessions every connected session
 * @param callsServed calls answered since start, over all sessions
 * @param threads live threads in the daemon's JVM (constant however many calls are parked)
 */
public record ServerInfo(
    String version,
    String address,
    Duration uptime,
    Map<String, Integer> objectsByType,
    List<ObjectInfo> objects,
    List<SessionInfo> sessions,
    long callsServed,
    int threads) {

  /**
   * One shared object.
   *
   * @param size element count where the type has one (entries, items, length), else -1
   * @param details type-specific state, such as a lock's holder; empty if none
   */
  public record ObjectInfo(String name, String typeid, long size, String details) {}

  /** One connected client: its session id, remote address, process id and calls made. */
  public record SessionInfo(long id, String remoteAddress, long pid, long calls) {}
}
