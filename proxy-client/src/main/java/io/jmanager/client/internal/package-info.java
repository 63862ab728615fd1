/**
 * Implementation of the proxy client, the client's alone (neither the daemon nor the demos import
 * it): the connection and its own I/O ({@link io.jmanager.client.internal.Connection}, {@link
 * io.jmanager.client.internal.FrameReader}, {@link io.jmanager.client.internal.FrameWriter}, {@link
 * io.jmanager.client.internal.Heartbeats}; TLS over it: {@link
 * io.jmanager.client.internal.TlsChannel}, {@link io.jmanager.client.internal.TlsTrust}), proxies, pipelines, failure mapping, and the class-data
 * sharing archives worker JVMs start from ({@link io.jmanager.client.internal.ClassDataSharing}).
 * Public only where the API package needs a class.
 *
 * <p>Internal: not part of the public API, and left out of the published javadoc.
 */
package io.jmanager.client.internal;
