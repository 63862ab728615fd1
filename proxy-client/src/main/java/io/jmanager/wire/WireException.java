package io.jmanager.wire;

/**
 * A frame that is not a message this side accepts (garbage, a message out of place, stray bytes):
 * the connection it came on cannot go on and is closed.
 */
public final class WireException extends RuntimeException {
  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
