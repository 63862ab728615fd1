package io.jmanager.client;

/**
 * The connection to the daemon is gone (the daemon exited, was killed, or stopped answering
 * heartbeats). A call in flight at that moment throws this, its outcome unknown (the message says
 * so; reads of built-in types are made again instead). Later calls wait for the {@link Manager} to
 * reconnect, and throw this if it gives up (or was closed, or has reconnecting off), or if it is
 * not back within their call timeout.
 */
public class ConnectionLostException extends ManagerException {
  /**
   * Creates the exception with its message.
   *
   * @param message what failed and, where there is one, the fix
   */
  public ConnectionLostException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its message and the exception that caused it.
   *
   * @param message what failed and, where there is one, the fix
   * @param cause the underlying failure, such as the {@code IOException} of the socket
   */
  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
