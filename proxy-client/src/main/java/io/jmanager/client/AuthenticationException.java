package io.jmanager.client;

/** The handshake failed: the two sides do not hold the same authkey, or no authkey was found. */
public class AuthenticationException extends ManagerException {
  /**
   * Creates the exception with its message.
   *
   * @param message what failed and, where there is one, the fix
   */
  public AuthenticationException(String message) {
    super(message);
  }
}
