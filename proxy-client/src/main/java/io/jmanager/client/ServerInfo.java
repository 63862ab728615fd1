package io.jmanager.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the daemon's state, from {@link Manager#info()}: what {@code bin/jmanager status}
 * prints.
 *
 * @param version the daemon's jmanager version
 * @param address the TCP address the daemon listens on
 * @param uptime time since the daemon started
 * @param objectsByType number of objects per typeid
 * @param objects every shared object: name, type and size
 * @param sessions every connected session
 * @param callsServed calls answered since start, over all sessions
 * @param threads live threads in the daemon's JVM (constant however many calls are parked)
 * @param unixSocket the Unix socket the daemon also listens on ({@code unix:/path}), or empty
 * @param pid the daemon's process id
 * @param cpuNanos CPU time the daemon's process has used, in nanoseconds (-1 if unknown): sampled
 *     twice around a load, a steadier measure of the daemon's cost per call than its wall time
 * @param dataBytes data in use as {@code max.data.bytes} counts it: the heap live after the last
 *     garbage collection plus what calls stored since
 * @param dataBudget {@code max.data.bytes}: storing calls past it fail with {@link
 *     DataLimitException}
 * @param maxHeapBytes the daemon JVM's max heap ({@code heap}, {@code -Xmx})
 * @param journal the durability journal's state ({@code journal.dir}): its fsync policy, current
 *     log and size, compactions since start; empty if the journal is off
 * @param dashboard the address of the daemon's dashboard ({@code metrics.port}; metrics are at its
 *     {@code /metrics}), with its token when the listener is not on loopback; empty if metrics are off
 * @param cluster in cluster mode, the cluster: its members, partition and CP health, each daemon
 *     and its clients; empty otherwise
 */
public record ServerInfo(
    String version,
    String address,
    Duration uptime,
    Map<String, Integer> objectsByType,
    List<ObjectInfo> objects,
    List<SessionInfo> sessions,
    long callsServed,
    int threads,
    String unixSocket,
    long pid,
    long cpuNanos,
    long dataBytes,
    long dataBudget,
    long maxHeapBytes,
    String journal,
    String dashboard,
    String cluster) {

  /**
   * One shared object.
   *
   * @param name its name
   * @param typeid its type id
   * @param size element count where the type has one (entries, items, length), else -1
   * @param details type-specific state, such as a lock's holder; empty if none
   */
  public record ObjectInfo(String name, String typeid, long size, String details) {}

  /**
   * One connected client.
   *
   * @param id the session's id, unique in this daemon's life
   * @param remoteAddress the client's address ({@code host:port}, or the Unix socket)
   * @param pid the client's process id, as it announced it
   * @param calls calls the session has made
   */
  public record SessionInfo(long id, String remoteAddress, long pid, long calls) {}
}
