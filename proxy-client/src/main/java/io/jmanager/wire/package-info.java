/**
 * The wire protocol shared by the proxy client and the daemon, independent of any transport:
 * framing ({@link io.jmanager.wire.Frames}), the closed family of {@link io.jmanager.wire.Message}s,
 * their Kryo encoding ({@link io.jmanager.wire.WireKryo}; {@link io.jmanager.wire.WireCodec} turns
 * bytes into messages and back), the mutual HMAC handshake ({@link io.jmanager.wire.Handshake}) and
 * method numbering ({@link io.jmanager.wire.MethodTable}). It knows messages and codecs only,
 * nothing of clients, servers or sockets: the daemon adapts it to Netty, the client to its own I/O.
 */
package io.jmanager.wire;
