package io.jmanager.server.python;

/**
 * A pickle from a Python client that the gateway will not load: malformed, naming a global
 * outside the allowlist, nested too deep, recursive, or not a request's shape. The frame was read
 * whole, so the connection can go on: CPython's server answers such a request with {@code
 * ('#TRACEBACK', text)}.
 */
public final class UnpicklingException extends IllegalArgumentException {
  private final String refusedGlobal;

  UnpicklingException(String message) {
    this(message, null, null);
  }

  UnpicklingException(String message, String refusedGlobal, Throwable cause) {
    super(message, cause);
    this.refusedGlobal = refusedGlobal;
  }

  /**
   * The global the pickle asked for and the allowlist refused, as {@code module.name} (for
   * example {@code os.system}); {@code null} when the pickle was refused for another reason.
   */
  public String refusedGlobal() {
    return refusedGlobal;
  }
}
