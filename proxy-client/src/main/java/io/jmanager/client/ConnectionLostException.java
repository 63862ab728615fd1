package io.jmanager.client;

/**
 * The connection to the daemon is gone (the daemon exited, was killed, or stopped answering
 * heartbeats). A call in flight at that moment throws this, its outcome unknown (the message says
 * so; reads of built-in types are made again instead). Later calls wait for the {@link Manager} to
 * reconnect, and throw this if it gives up (or was closed, or has reconnecting off), or if it is
 * not back within their call timeout.
 */
public class ConnectionLostException extends ManagerException {
  public ConnectionLostException(String message) {
    super(message);
  }

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
