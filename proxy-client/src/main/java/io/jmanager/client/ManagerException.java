package io.jmanager.client;

/** The root of jmanager's own exceptions; unchecked, so it can cross any proxied interface. */
public class ManagerException extends RuntimeException {
  public ManagerException(String message) {
    super(message);
  }

  public ManagerException(String message, Throwable cause) {
    super(message, cause);
  }
}
