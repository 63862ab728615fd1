package io.jmanager.client;

/** The root of jmanager's own exceptions; unchecked, so it can cross any proxied interface. */
public class ManagerException extends RuntimeException {
  /**
   * Creates the exception with its message.
   *
   * @param message what failed and, where there is one, the fix
   */
  public ManagerException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its message and the exception that caused it.
   *
   * @param message what failed and, where there is one, the fix
   * @param cause the underlying failure, such as an {@code IOException}
   */
  public ManagerException(String message, Throwable cause) {
    super(message, cause);
  }
}
