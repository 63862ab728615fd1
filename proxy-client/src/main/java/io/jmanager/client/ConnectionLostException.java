package io.jmanager.client;

/**
 * The connection to the daemon is gone (the daemon exited, was killed, or stopped answering
 * heartbeats). Every call pending at that moment and every later call on the same {@link Manager}
 * throws this; connect again to continue.
 */
public class ConnectionLostException extends ManagerException {
  public ConnectionLostException(String message) {
    super(message);
  }

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
