package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's register(): user types from a jar in lib.dir, and from the embedded builder. */
class UserTypeTest {
  static final String IMPL_SOURCE = """
      package com.example.greet;
      public class GreeterImpl implements io.jmanager.server.Greeter {
        private int n;
        public String greet(String who) { n++; return "hello " + who; }
        public int count() { return n; }
        public String servedBy() { return Thread.currentThread().getName(); }
        public void secret() { throw new AssertionError("not part of the interface"); }
      }
      """;

  /** Compiles GreeterImpl into lib/greeter.jar: a class the daemon's classpath does not have. */
  static Path buildJar(Path dir) throws IOException {
    Path src = dir.resolve("src/com/example/greet/GreeterImpl.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, IMPL_SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
    assertEquals(0, rc, "javac");
    Path lib = Files.createDirectories(dir.resolve("lib"));
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(lib.resolve("greeter.jar")))) {
      String entry = "com/example/greet/GreeterImpl.class";
      jar.putNextEntry(new JarEntry(entry));
      try (var in = Files.newInputStream(classes.resolve(entry))) {
        in.transferTo(jar);
      }
      jar.closeEntry();
    }
    return lib;
  }

  @Test
  void typeFromLibJar_callableThroughItsInterface_only(@TempDir Path dir) throws Exception {
    Path lib = buildJar(dir);
    Path config = dir.resolve("manager.properties");
    Files.writeString(config, "types.greeter=com.example.greet.GreeterImpl\nlib.dir=" + lib + "\n");
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString());
        Manager m = daemon.connect()) {
      Greeter g = m.proxy("greeter", "front-desk", Greeter.class);
      assertEquals("hello ada", g.greet("ada"));
      assertEquals("hello bob", m.proxy("greeter", "front-desk", Greeter.class).greet("bob"));
      assertEquals(2, g.count());
      assertEquals(0, m.proxy("greeter", "other-desk", Greeter.class).count()); // one instance per name
      assertTrue(g.servedBy().startsWith("jmanager-user"), g.servedBy()); // never on the event loop
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> m.proxy("greeter", "front-desk", GreeterWithSecret.class));
      assertTrue(e.getMessage().contains("greeter"), e.getMessage());
      assertTrue(m.info().objects().stream().anyMatch(o -> o.name().equals("front-desk") && o.typeid().equals("greeter")));
    }
  }

  /**
   * Calls to one user object run one at a time; the daemon stays responsive meanwhile. Each call
   * waits at {@link #gate} (in the daemon: the test's own JVM) until the test opens it.
   */
  public static final class SlowCounter implements Greeter {
    static volatile CountDownLatch gate = new CountDownLatch(0);
    static final AtomicInteger entered = new AtomicInteger();
    private int n;
    private int inside;

    @Override
    public String greet(String who) {
      entered.incrementAndGet();
      if (++inside > 1) {
        throw new IllegalStateException("two calls at once");
      }
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      n++;
      inside--;
      return who;
    }

    @Override
    public int count() {
      return n;
    }

    @Override
    public String servedBy() {
      return Thread.currentThread().getName();
    }
  }

  @Test
  void embeddedRegister_callsRunOneAtATime_otherCallsAnsweredMeanwhile() throws Exception {
    SlowCounter.gate = new CountDownLatch(1);
    SlowCounter.entered.set(0);
    try (TestDaemon daemon = new TestDaemon(b -> b.register("slow", Greeter.class, SlowCounter::new))) {
      Manager m = daemon.connect();
      Greeter g = m.proxy("slow", "s", Greeter.class);
      List<CompletableFuture<String>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String who = "w" + i;
        calls.add(CompletableFuture.supplyAsync(() -> g.greet(who)));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> SlowCounter.entered.get() == 1);
      m.dict("responsive").put("k", 1); // answered while one user call runs and the others queue up
      assertEquals(1, m.dict("responsive").get("k"));
      assertEquals(1, SlowCounter.entered.get(), "the other calls wait for the running one");
      assertTrue(calls.stream().noneMatch(CompletableFuture::isDone), "no user call can finish before the gate opens");
      SlowCounter.gate.countDown();
      for (int i = 0; i < calls.size(); i++) {
        assertEquals("w" + i, calls.get(i).get(30, TimeUnit.SECONDS));
      }
      assertEquals(8, g.count());
      assertEquals(8, SlowCounter.entered.get());
    } finally {
      SlowCounter.gate.countDown();
    }
  }
}
