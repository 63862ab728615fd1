package io.jmanager.wire;

/**
 * A value on the wire announced more elements or characters than its frame can hold: refused
 * before anything is allocated for them. The frame itself was whole, so only its call fails.
 */
final class LengthLimitException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  LengthLimitException(String message) {
    super("unreadable value: " + message);
  }
}
