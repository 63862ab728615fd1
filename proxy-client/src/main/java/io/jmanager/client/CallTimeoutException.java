package io.jmanager.client;

/**
 * The daemon did not answer a call within the call timeout; the connection stays usable. The call's
 * outcome is unknown: the daemon may still have applied it (a late answer is dropped). Calls that
 * wait on the daemon ({@code take}, {@code lock}, ...) have no call timeout.
 */
public class CallTimeoutException extends ManagerException {
  /**
   * Creates the exception with its message.
   *
   * @param message what failed and, where there is one, the fix
   */
  public CallTimeoutException(String message) {
    super(message);
  }
}
