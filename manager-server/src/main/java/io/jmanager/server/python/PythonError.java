package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import java.util.Objects;

/**
 * An exception to send to a Python client in an {@code #ERROR} reply, which its proxy raises:
 * one of a closed set of Python exception types ({@link Kind}), with its {@code args}. The codec
 * writes it as CPython pickles an exception ({@code Kind(*args)}), so the client catches a real
 * {@code KeyError}, {@code queue.Empty}, ... Immutable.
 *
 * @param args the exception's {@code args}, each a value of the codec's table: {@code
 *     KeyError(key)} has the missing key, most others one message string
 */
public record PythonError(Kind kind, PythonTuple args) {
  /** The Python exception types the gateway raises in its clients, and where Python finds each. */
  public enum Kind {
    KEY_ERROR("builtins", "KeyError"),
    INDEX_ERROR("builtins", "IndexError"),
    VALUE_ERROR("builtins", "ValueError"),
    TYPE_ERROR("builtins", "TypeError"),
    ATTRIBUTE_ERROR("builtins", "AttributeError"),
    RUNTIME_ERROR("builtins", "RuntimeError"),
    STOP_ITERATION("builtins", "StopIteration"),
    QUEUE_EMPTY("queue", "Empty"),
    QUEUE_FULL("queue", "Full"),
    /** What CPython's server raises for an error it reports as text (a traceback). */
    REMOTE_ERROR("multiprocessing.managers", "RemoteError");

    private final String module;
    private final String qualifiedName;

    Kind(String module, String qualifiedName) {
      this.module = module;
      this.qualifiedName = qualifiedName;
    }

    /** The module Python imports the type from. */
    public String module() {
      return module;
    }

    /** The type's name in {@link #module()}. */
    public String qualifiedName() {
      return qualifiedName;
    }
  }

  public PythonError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(args, "args");
  }

  /** {@code kind(*args)}. */
  public static PythonError of(Kind kind, Object... args) {
    return new PythonError(kind, PythonTuple.of(args));
  }

  /** {@code KeyError(key)}, as a dict raises it. */
  public static PythonError keyError(Object key) {
    return of(Kind.KEY_ERROR, key);
  }
}
