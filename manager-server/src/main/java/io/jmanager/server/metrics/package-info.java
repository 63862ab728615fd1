/**
 * The daemon's metrics and dashboard, on when {@code metrics.port} is set: {@link
 * io.jmanager.server.metrics.DaemonMetrics} keeps the Prometheus registry and the dashboard's
 * history, {@link io.jmanager.server.metrics.MetricsServer} serves them over HTTP on an event loop
 * of its own, and {@link io.jmanager.server.metrics.ByteCounter} counts each connection's bytes.
 * They read the daemon through {@link io.jmanager.server.metrics.DaemonView} only, so this package
 * knows nothing of sessions or the registry.
 */
package io.jmanager.server.metrics;
