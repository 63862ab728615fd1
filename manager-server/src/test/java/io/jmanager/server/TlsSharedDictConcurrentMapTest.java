package io.jmanager.server;

import junit.framework.Test;

/** The whole Guava ConcurrentMap suite of {@link SharedDictConcurrentMapTest}, over TLS. */
public class TlsSharedDictConcurrentMapTest {
  public static Test suite() {
    return SharedDictConcurrentMapTest.suite("SharedDict over TLS", GuavaSuites::tlsManager);
  }
}
