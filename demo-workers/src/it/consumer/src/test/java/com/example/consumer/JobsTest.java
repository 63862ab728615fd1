package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.server.ManagerProcess;
import io.jmanager.server.ManagerServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a project that depends on jmanager's published artifacts does with them. */
class JobsTest {

  @Test
  void daemonInAChildJvm_servesObjectsToEveryConnection_andExitsOnClose() throws Exception {
    ManagerProcess daemon = ManagerProcess.start("--heap", "128m");
    long pid = daemon.pid();
    try (daemon; Manager m = daemon.connect()) {
      Jobs jobs = new Jobs(m);
      assertEquals(1, jobs.done("alice"));
      assertEquals(2, jobs.done("alice"));

      SharedDict<String, String> config = m.dict("config");
      config.put("mode", "fast");
      assertEquals("fast", config.get("mode"));

      SharedQueue<String> work = m.queue("work");
      work.put("job-1");
      assertEquals("job-1", work.poll(5, TimeUnit.SECONDS));
      assertNull(work.poll());

      SharedLock lock = m.lock("lock");
      assertTrue(lock.tryLock());
      lock.unlock();

      // another connection, made from the daemon's address and authkey: it sees the same objects
      try (Manager other =
          Manager.builder().address(daemon.address()).authkey(daemon.authkey()).connect()) {
        assertEquals(2, new Jobs(other).count("alice"));
        assertEquals("fast", other.<String, String>dict("config").get("mode"));
      }
    }
    assertFalse(daemon.isAlive(), "the daemon JVM exits on close()");
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "the daemon's pid " + pid + " is gone");
  }

  /**
   * The application has logback and no logback configuration: the embedded daemon must still not
   * fill its output with Netty's DEBUG lines. Netty logs most of them at its
   * first use in a JVM, and this is the one test here that uses Netty in this JVM (a
   * ManagerProcess daemon runs Netty in its own).
   */
  @Test
  void embeddedDaemon_withLogbackAndNoLogbackConfig_logsNoNettyDebugLines() throws Exception {
    assertNotNull(Class.forName("ch.qos.logback.classic.Logger"), "logback is on the classpath");
    assertNull(JobsTest.class.getResource("/logback.xml"));
    assertNull(JobsTest.class.getResource("/logback-test.xml"));
    assertNull(System.getProperty("logback.configurationFile"));

    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
    try (ManagerServer server =
            ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).start();
        Manager m = Manager.builder().address(server.address()).authkey(key).connect()) {
      m.<String, Integer>dict("d").put("k", 1);
      assertEquals(1, m.<String, Integer>dict("d").get("k"));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    // logback's default layout: "HH:mm:ss.SSS [thread] DEBUG io.netty.Foo -- ..." (or i.n.u.Foo)
    Pattern nettyDebug = Pattern.compile("\\bDEBUG\\s+(io\\.netty\\.|i\\.n\\.)");
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> nettyDebug.matcher(l).find())
        .collect(Collectors.toList());
    assertTrue(lines.isEmpty(), "Netty DEBUG lines in the output:\n" + String.join("\n", lines));
  }

  /** Writes to the original stream and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
