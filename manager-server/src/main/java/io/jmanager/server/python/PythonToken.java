package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import java.util.Objects;

/**
 * A {@code multiprocessing.managers.Token(typeid, address, id)}: what a {@code #PROXY} reply
 * carries so that the client builds a proxy for another object. The codec writes it as CPython
 * pickles a Token ({@code Token.__new__}, then {@code __setstate__((typeid, address, id))}), so
 * the client gets a real Token. Immutable.
 *
 * @param typeid the typeid registered on the client's manager class (selects the proxy type)
 * @param address a {@code (host, port)} {@link PythonTuple} or a Unix socket path ({@code
 *     String}); CPython's proxy replaces it with its own manager's address
 * @param id the object's ident, which the client sends back as the first element of each request
 */
public record PythonToken(String typeid, Object address, String id) {
  public PythonToken {
    Objects.requireNonNull(typeid, "typeid");
    Objects.requireNonNull(id, "id");
    if (!(address instanceof PythonTuple || address instanceof String)) {
      throw new IllegalArgumentException(
          "a token's address is a (host, port) tuple or a path, got " + address);
    }
  }

  /** A token for an object served at {@code host:port}. */
  public static PythonToken tcp(String typeid, String host, int port, String id) {
    return new PythonToken(typeid, PythonTuple.of(host, port), id);
  }
}
