package io.jmanager.client;

/** The handshake failed: the two sides do not hold the same authkey, or no authkey was found. */
public class AuthenticationException extends ManagerException {
  public AuthenticationException(String message) {
    super(message);
  }
}
