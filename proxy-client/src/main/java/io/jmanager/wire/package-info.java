/**
 * The wire protocol shared by the proxy client and the daemon: framing ({@link
 * io.jmanager.wire.Frames}), the closed family of {@link io.jmanager.wire.Message}s, their Kryo
 * encoding ({@link io.jmanager.wire.WireKryo}, {@link io.jmanager.wire.MessageCodec}), the mutual
 * HMAC handshake ({@link io.jmanager.wire.Handshake}) and method numbering ({@link
 * io.jmanager.wire.MethodTable}). It knows messages and codecs only, nothing of clients or servers.
 */
package io.jmanager.wire;
