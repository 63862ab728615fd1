package io.jmanager.server;

import io.jmanager.client.Manager;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon and connection the Guava testlib suites share (one per test JVM). */
final class GuavaSuites {
  private static TestDaemon daemon;
  private static Manager manager;
  private static final AtomicInteger names = new AtomicInteger();

  private GuavaSuites() {}

  static synchronized Manager manager() {
    if (manager == null) {
      // Guava's WrongType probes must reach the daemon, as a user's own classes would: allow them
      daemon = new TestDaemon(b -> b.allow("com.google.common.collect.testing.*"));
      manager = daemon.connect();
      Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
    }
    return manager;
  }

  /**
   * The test methods of {@code testers} whose names contain one of {@code fragments} (all of them
   * if none is given): what a proxy deliberately lacks, listed in the README.
   */
  static java.util.List<java.lang.reflect.Method> methods(Class<?> tester, String... fragments) {
    java.util.List<java.lang.reflect.Method> out = new java.util.ArrayList<>();
    for (java.lang.reflect.Method m : tester.getDeclaredMethods()) {
      if (m.getName().startsWith("test")
          && (fragments.length == 0 || java.util.Arrays.stream(fragments).anyMatch(m.getName()::contains))) {
        out.add(m);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no test method in " + tester + " matches " + java.util.Arrays.toString(fragments));
    }
    return out;
  }

  private static TestDaemon tlsDaemon;
  private static Manager tlsManager;

  /** A connection over TLS (pinned fingerprint) to a TLS daemon of its own, its certificate in a temporary directory. */
  static synchronized Manager tlsManager() {
    if (tlsManager == null) {
      java.nio.file.Path dir;
      try {
        dir = java.nio.file.Files.createTempDirectory("jmanager-tls-suite");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      tlsDaemon = new TestDaemon(b -> b.allow("com.google.common.collect.testing.*").tls(true).tlsDir(dir).unixPath("off"));
      tlsManager = tlsDaemon.connectTls();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        tlsDaemon.close();
        for (String f : new String[] {"tls-cert.pem", "tls-key.pem"}) {
          dir.resolve(f).toFile().delete();
        }
        dir.toFile().delete();
      }));
    }
    return tlsManager;
  }

  static String freshName(String prefix) {
    return prefix + "-" + names.incrementAndGet();
  }
}
