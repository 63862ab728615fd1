package io.jmanager.server.types;

/** A type that holds something per session (a lock, permits) and must let go when it closes. */
public interface SessionAware {
  /**
   * The session's connection closed: release whatever it holds. Called once per session, after its
   * parked calls were abandoned.
   *
   * @param sessionId the closed session
   */
  void sessionClosed(long sessionId);
}
