/**
 * Implementation of the proxy client: connection, handshake, proxies, failure mapping, and the
 * class-data sharing archives worker JVMs start from. Not API.
 */
package io.jmanager.client.internal;
