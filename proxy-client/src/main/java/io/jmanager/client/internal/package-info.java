/** Implementation of the proxy client: connection, handshake, proxies, failure mapping. Not API. */
package io.jmanager.client.internal;
