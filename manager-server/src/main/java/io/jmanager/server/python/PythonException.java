package io.jmanager.server.python;

import io.jmanager.server.python.PythonError.Kind;

/**
 * A Python exception for the client to raise: thrown by {@link PythonMethods#plan} when a call is
 * wrong before it reaches the daemon (a bad argument, a method the object does not expose), and by
 * a {@link PythonMethods.Plan}'s continuations when the daemon's answer means an exception in
 * Python ({@code KeyError}, {@code queue.Empty}, ...). The gateway answers the call with {@code
 * ('#ERROR', error())}; the codec writes {@link #error()} as its type applied to its args, so the
 * client catches the real Python type. An answer, not a fault: it carries no stack trace.
 * Immutable.
 */
public final class PythonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient PythonError error;

  public PythonException(PythonError error) {
    super(formatted(error), null, false, false);
    this.error = error;
  }

  /** {@code kind(*args)}. */
  static PythonException of(Kind kind, Object... args) {
    return new PythonException(PythonError.of(kind, args));
  }

  /** The exception to raise in the client. */
  public PythonError error() {
    return error;
  }

  /** The module Python finds the type in: {@code builtins}, {@code queue}, ... */
  public String module() {
    return error.kind().module();
  }

  /** The type's name in {@link #module()}: {@code KeyError}, {@code Empty}, ... */
  public String name() {
    return error.kind().qualifiedName();
  }

  /**
   * The last line of the traceback Python would print, as {@code traceback.format_exception_only}
   * writes it: {@code KeyError: 'a'}, {@code queue.Empty}. What a {@code ('#TRACEBACK', text)}
   * answer ends with, for the one error CPython's server reports as text: a method the object does
   * not expose.
   */
  public String formatted() {
    return getMessage();
  }

  private static String formatted(PythonError error) {
    Kind kind = error.kind();
    String type =
        kind.module().equals("builtins")
            ? kind.qualifiedName()
            : kind.module() + "." + kind.qualifiedName();
    if (error.args().isEmpty()) {
      return type;
    }
    if (error.args().size() == 1) {
      Object arg = error.args().get(0);
      boolean keyError = kind == Kind.KEY_ERROR; // KeyError shows its key as repr, others use str()
      return type + ": " + (arg instanceof String s && !keyError ? s : PythonRepr.repr(arg));
    }
    return type + ": " + PythonRepr.repr(error.args());
  }
}
