package io.jmanager.server;

import io.jmanager.client.ServerInfo;
import io.jmanager.server.types.Pending;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One authenticated connection: who it is (id, remote address, pid) and what it has done. Touched
 * by its channel's event loop; read by {@code info()} from any thread.
 */
public final class Session {
  private final long id;
  private final String remoteAddress;
  private final long pid;
  private volatile long calls;
  private final Map<Long, Pending> parked = new ConcurrentHashMap<>();
  private final Deliveries deliveries;
  private SerialExecutor lane; // the session's event loop only

  /**
   * The session's lane on {@code pool}: its calls that must leave the event loop (cluster mode) run
   * there one at a time, in the order they came.
   */
  java.util.concurrent.Executor lane(java.util.concurrent.Executor pool) {
    if (lane == null) {
      lane = new SerialExecutor(pool);
    }
    return lane;
  }

  Session(long id, String remoteAddress, long pid, Deliveries deliveries) {
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.pid = pid;
    this.deliveries = deliveries;
  }

  /** {@return the session's id: unique in this daemon's life, never reused} */
  public long id() {
    return id;
  }

  /** {@return the client's process id, as it announced it in the handshake} */
  public long pid() {
    return pid;
  }

  /**
   * {@return the client's address: for TCP as {@code InetSocketAddress.toString()} writes it, for
   * the Unix socket {@code unix:/path}}
   */
  public String remoteAddress() {
    return remoteAddress;
  }

  private boolean unreadableSeen; // the session's event loop only

  /** True the first time this session sends a call the daemon cannot read (logged once). */
  boolean firstUnreadable() {
    boolean first = !unreadableSeen;
    unreadableSeen = true;
    return first;
  }

  /** The items this session's calls handed over that its client has not confirmed yet. */
  Deliveries deliveries() {
    return deliveries;
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // only the session's event loop writes
  void countCall() {
    calls++;
  }

  void park(long callId, Pending p) {
    parked.put(callId, p);
  }

  /** Calls of this session parked on the daemon now. */
  int parkedCount() {
    return parked.size();
  }

  void unpark(long callId) {
    parked.remove(callId);
  }

  /** Drops {@code callId}'s wait with {@code reason}, if it is parked; returns whether it was. */
  boolean abandon(long callId, Throwable reason) {
    Pending p = parked.get(callId);
    return p != null && p.abandon(reason);
  }

  /** The object {@code objectId} was deleted: drop every wait parked on it. */
  void abandonWaitsOn(int objectId, String what) {
    for (Pending p : new ArrayList<>(parked.values())) {
      if (p.context() instanceof ServerCallContext c && c.objectId() == objectId) {
        p.abandon(new IllegalStateException(what + " was deleted"));
      }
    }
  }

  /** The client interrupted {@code callId}: drop its wait if it is still parked. */
  void cancel(long callId) {
    Pending p = parked.get(callId);
    if (p != null) {
      p.cancel(new InterruptedException("the waiting client thread was interrupted"));
    }
  }

  /** The connection is gone: drop every wait it had parked. */
  void abandonAll() {
    List<Pending> all = new ArrayList<>(parked.values());
    all.forEach(p -> p.abandon(new IllegalStateException(this + " closed")));
    parked.clear();
  }

  ServerInfo.SessionInfo info() {
    return new ServerInfo.SessionInfo(id, remoteAddress, pid, calls);
  }

  @Override
  public String toString() {
    return "session " + id + " (pid " + pid + ", " + remoteAddress + ")";
  }
}
