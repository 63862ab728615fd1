package io.jmanager.client;

/**
 * A value's class is not on the daemon's serialization allowlist. The message names the class and
 * the config key ({@code serialization.allow}) that would allow it. Nothing was changed on the
 * daemon, and the connection stays usable.
 */
public class NotAllowedException extends ManagerException {
  /**
   * Creates the exception with its message.
   *
   * @param message what failed and, where there is one, the fix
   */
  public NotAllowedException(String message) {
    super(message);
  }
}
