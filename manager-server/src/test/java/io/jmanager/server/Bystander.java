package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An honest client that keeps working while a test attacks the daemon: one thread puts {@code
 * i -> i} into a dict and reads it back, about a thousand times a second (a steady client, not a
 * load that would starve two cores), for as long as it runs. {@link #close()} stops it and checks
 * that every acknowledged put is there, so a test proves nothing was lost.
 */
final class Bystander implements AutoCloseable {
  private final Manager manager;
  private final SharedDict<Integer, Integer> dict;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stop;
  private volatile int acknowledged;

  Bystander(Manager manager, String dictName) {
    this.manager = manager;
    this.dict = manager.dict(dictName);
    this.thread = new Thread(this::run, "bystander");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      for (int i = 0; !stop; i++) {
        dict.put(i, i);
        acknowledged = i + 1;
        Integer back = dict.get(i);
        if (back == null || back != i) {
          throw new AssertionError("read back " + back + " for " + i);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a pace, not a wait for anything
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  /** Calls the bystander has made so far (puts acknowledged). */
  int acknowledged() {
    return acknowledged;
  }

  /** Stops, and checks that it never failed and that every acknowledged put is in the dict. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(30_000);
    assertNull(failure.get(), () -> "the bystander failed: " + failure.get());
    int n = acknowledged;
    assertTrue(n > 0, "the bystander made calls");
    java.util.Map<Integer, Integer> copy = dict.copy();
    assertEquals(n, copy.size(), "every acknowledged put is there, and nothing else");
    for (int i = 0; i < n; i++) {
      assertEquals(i, copy.get(i));
    }
    manager.close();
  }
}
