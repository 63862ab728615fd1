/**
 * The daemon's TLS on TCP connections: {@link io.jmanager.server.tls.DaemonTls} (certificate, key,
 * the per-connection {@code SslHandler}) and {@link io.jmanager.server.tls.Certificates}, which
 * makes the self-signed certificate a daemon uses when none is configured.
 *
 * <p>Internal: not part of the public API, and left out of the published javadoc; TLS is
 * configured through {@link io.jmanager.server.ManagerServer.Builder#tls}.
 */
package io.jmanager.server.tls;
