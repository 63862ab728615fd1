/**
 * The wire of the Python gateway: what an unmodified CPython 3.8-3.13 {@code
 * multiprocessing.managers} client speaks, as plain Java (no Netty here; the gateway's handlers
 * wrap these classes). {@link io.jmanager.server.python.PythonFrames} finds and writes the frames
 * of {@code multiprocessing.connection}; {@link io.jmanager.server.python.PythonHandshake} is the
 * listener's side of its HMAC challenge, both the MD5 form of CPython up to 3.11 and the
 * {@code {sha256}} form of 3.12+; {@link io.jmanager.server.python.PythonPickle} reads requests
 * ({@link io.jmanager.server.python.PythonRequest}) and values from pickles through an allowlist
 * of globals, and writes replies ({@link io.jmanager.server.python.PythonReply}) and values.
 *
 * <p>Internal: not part of the public API, and left out of the published javadoc; the gateway is
 * configured through {@link io.jmanager.server.ManagerServer.Builder#python}.
 */
package io.jmanager.server.python;
