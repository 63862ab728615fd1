/**
 * The daemon's Netty adapters of the wire: the transport choice (epoll or NIO, TCP or Unix domain
 * sockets), framing on a pipeline, and the handler around the transport-neutral {@link
 * io.jmanager.wire.WireCodec}. Public for the bench's loopback floors.
 *
 * <p>Internal: not part of the public API, and left out of the published javadoc.
 */
package io.jmanager.server.netty;
