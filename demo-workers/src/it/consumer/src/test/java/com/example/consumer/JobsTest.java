package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.server.ManagerProcess;
import java.util.concurrent.TimeUnit;
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
}
