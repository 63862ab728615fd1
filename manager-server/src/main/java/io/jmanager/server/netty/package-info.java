/**
 * The daemon's Netty adapters of the wire: the transport choice (epoll or NIO, TCP or Unix domain
 * sockets), framing on a pipeline, and the handler around the transport-neutral {@link
 * io.jmanager.wire.WireCodec}. Public for the bench's loopback floors; not API.
 */
package io.jmanager.server.netty;
