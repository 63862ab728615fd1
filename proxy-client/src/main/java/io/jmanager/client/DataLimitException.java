package io.jmanager.client;

/**
 * The daemon's data budget ({@code max.data.bytes}) is spent: a call that would store more was
 * refused, and nothing changed. The message names the object and the figures. Reads and deletes
 * still work; free space (remove or delete something) or give the daemon a larger {@code heap}
 * and budget. The connection stays usable.
 */
public class DataLimitException extends ManagerException {
  /**
   * Creates the exception with its message.
   *
   * @param message what failed and, where there is one, the fix
   */
  public DataLimitException(String message) {
    super(message);
  }
}
