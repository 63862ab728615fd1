package io.jmanager.server.python;

import java.util.List;
import java.util.Objects;

/**
 * A reply to a CPython manager client, one of the 2-tuples CPython's {@code Server.serve_client}
 * sends and {@code BaseProxy._callmethod} reads: {@code ('#RETURN', value)}, {@code ('#ERROR',
 * exception)}, {@code ('#TRACEBACK', text)}, {@code ('#PROXY', (exposed, token))}, {@code
 * ('#UNSERIALIZABLE', text)}. Written by {@link PythonPickle#encodeReply}. Immutable.
 */
public sealed interface PythonReply {
  /** {@code ('#RETURN', value)}: the call's result, a value of the codec's table. */
  record Return(Object value) implements PythonReply {}

  /** {@code ('#ERROR', exception)}: the proxy raises {@code error} as it is. */
  record Error(PythonError error) implements PythonReply {
    public Error {
      Objects.requireNonNull(error, "error");
    }
  }

  /** {@code ('#TRACEBACK', text)}: the proxy raises {@code RemoteError(text)}. */
  record Traceback(String text) implements PythonReply {
    public Traceback {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * {@code ('#PROXY', (exposed, token))}: the result is another shared object; the proxy builds
   * a proxy of {@code token.typeid}'s registered type exposing {@code exposed}, then sends {@code
   * decref} for it on a new connection.
   */
  record Proxy(List<String> exposed, PythonToken token) implements PythonReply {
    public Proxy {
      exposed = List.copyOf(exposed);
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * {@code ('#UNSERIALIZABLE', text)}: the result could not be pickled; the proxy raises {@code
   * RemoteError('Unserializable message: ' + text)}.
   */
  record Unserializable(String text) implements PythonReply {
    public Unserializable {
      Objects.requireNonNull(text, "text");
    }
  }
}
