package io.jmanager.server.python;

import java.util.List;
import java.util.Map;

/**
 * A request from a CPython manager client: the tuple {@code (ident, methodname, args, kwds)} that
 * {@code BaseProxy._callmethod} and {@code managers.dispatch} send. Immutable as a record; {@code
 * args} and {@code kwds} are the decoded values (see {@link PythonPickle} for their types).
 *
 * @param ident the target object's {@code Token.id}, or {@code null} (Python's {@code None}) for
 *     a request to the server itself ({@code create}, {@code incref}, {@code decref}, {@code
 *     accept_connection}, ...)
 * @param methodName the method, or a protocol name such as {@code #GETVALUE}
 * @param args the positional arguments (a tuple, or a list where a client sent one)
 * @param kwds the keyword arguments, by name
 */
public record PythonRequest(
    String ident, String methodName, List<Object> args, Map<String, Object> kwds) {}
