package io.jmanager.server;

import io.jmanager.client.ServerInfo;

/**
 * One authenticated connection: who it is (id, remote address, pid) and what it has done. Touched
 * by its channel's event loop; read by {@code info()} from any thread.
 */
public final class Session {
  private final long id;
  private final String remoteAddress;
  private final long pid;
  private volatile long calls;

  Session(long id, String remoteAddress, long pid) {
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.pid = pid;
  }

  public long id() {
    return id;
  }

  public long pid() {
    return pid;
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // only the session's event loop writes
  void countCall() {
    calls++;
  }

  ServerInfo.SessionInfo info() {
    return new ServerInfo.SessionInfo(id, remoteAddress, pid, calls);
  }

  @Override
  public String toString() {
    return "session " + id + " (pid " + pid + ", " + remoteAddress + ")";
  }
}
