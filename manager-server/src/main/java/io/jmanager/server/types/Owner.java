package io.jmanager.server.types;

/** Who holds a lock: a client thread in a session (and its process, for status). */
public record Owner(long sessionId, long threadId, long pid) {
  static Owner of(CallContext ctx) {
    return new Owner(ctx.sessionId(), ctx.threadId(), ctx.pid());
  }

  boolean sameThread(Owner o) {
    return o != null && o.sessionId == sessionId && o.threadId == threadId;
  }

  @Override
  public String toString() {
    return "session " + sessionId + " (pid " + pid + ", thread " + threadId + ")";
  }
}
