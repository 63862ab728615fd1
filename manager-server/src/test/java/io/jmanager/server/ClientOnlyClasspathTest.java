package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.common.Authkeys;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A worker whose classpath holds only the client library and what it needs (Kryo and its
 * dependencies, slf4j-api): no Netty, no logging backend. It connects, works, starts a worker of
 * its own, and prints nothing on stderr (no SLF4J warning: the client forces no backend and logs
 * nothing in normal operation).
 */
class ClientOnlyClasspathTest {
  /** The worker: one of each kind of call, then a line on stdout. */
  public static final class ClientOnlyWorker {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.fromEnvironment()) {
        m.<String, Integer>dict("client-only").put("k", 41);
        m.<String, Integer>dict("client-only").merge("k", 1, Integer::sum);
        m.queue("client-only.q").put("x");
        // and a worker of its own, on the same client-only classpath (its stderr is ours)
        io.jmanager.client.WorkerProcess child =
            io.jmanager.client.WorkerProcess.of(Workers.Writer.class, "client-only", "child", "hi").manager(m).start();
        if (child.join() != 0) {
          throw new IllegalStateException("the child worker failed: " + child.exitCode());
        }
        System.out.println("client-only worker: " + m.dict("client-only").get("k") + " " + m.queue("client-only.q").take()
            + " " + m.dict("client-only").get("child"));
      }
    }
  }

  static boolean clientOnly(String entry) {
    String e = entry.replace(File.separatorChar, '/');
    return e.contains("proxy-client")
        || e.contains("/com/esotericsoftware/")
        || e.contains("/org/objenesis/")
        || e.contains("/org/slf4j/slf4j-api/")
        || e.endsWith("manager-server/target/test-classes");
  }

  @Test
  void clientOnlyClasspath_connectsAndPrintsNothingOnStderr() throws Exception {
    List<String> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(ClientOnlyClasspathTest::clientOnly).collect(Collectors.toList());
    assertFalse(cp.stream().anyMatch(e -> e.contains("netty") || e.contains("logback")), cp.toString());
    assertTrue(cp.stream().anyMatch(e -> e.contains("/com/esotericsoftware/kryo/")), "kryo on " + cp);
    try (TestDaemon daemon = new TestDaemon()) {
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
          "-cp", String.join(File.pathSeparator, cp), ClientOnlyWorker.class.getName());
      pb.environment().put(Authkeys.ADDRESS_ENV, daemon.address());
      pb.environment().put(Authkeys.AUTHKEY_ENV, Authkeys.hex(daemon.authkey));
      Process p = pb.start();
      try {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the worker finished");
        assertEquals("", err.get(10, TimeUnit.SECONDS), "stderr");
        assertEquals(0, p.exitValue());
        assertEquals("client-only worker: 42 x hi", out.get(10, TimeUnit.SECONDS).trim());
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "unreadable: " + e;
    }
  }
}
