/**
 * Cluster mode ({@code cluster.enabled}): the daemon embeds a Hazelcast member, and several such
 * daemons form one store. Objects keep their state in Hazelcast's structures (a dict in an
 * {@code IMap}, a queue in an {@code IQueue}, a counter in a CP {@code IAtomicLong}), with keys and
 * values as jmanager's Kryo bytes, so Hazelcast never deserializes a user class; the daemons keep the
 * wire, the sessions and the proxies' method tables.
 *
 * <p>Internal: not part of the public API, and left out of the published javadoc; cluster mode is
 * configured through {@link io.jmanager.server.ManagerServer.Builder#cluster} and the {@code
 * cluster.*} keys.
 */
package io.jmanager.server.cluster;
