package io.jmanager.client;

/** The daemon did not answer a call within the call timeout; the connection stays usable. */
public class CallTimeoutException extends ManagerException {
  public CallTimeoutException(String message) {
    super(message);
  }
}
