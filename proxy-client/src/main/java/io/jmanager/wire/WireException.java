package io.jmanager.wire;

/**
 * A frame that is not a message this side accepts (garbage, a message out of place, stray bytes):
 * the connection it came on cannot go on and is closed.
 */
public final class WireException extends RuntimeException {
  /**
   * Creates the exception.
   *
   * @param message what was wrong with the frame
   */
  public WireException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that exposed the bad frame.
   *
   * @param message what was wrong with the frame
   * @param cause the decoding failure, such as a {@code KryoException}
   */
  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
