package io.jmanager.client;

import java.util.concurrent.TimeUnit;

/**
 * A shared counting semaphore with {@link java.util.concurrent.Semaphore}'s method names, fair
 * (waiters served first come first served), parked on the daemon. Permits are counted per
 * connection: those a process acquired and did not release return when it exits or disconnects.
 * A bounded semaphore ({@code m.boundedSemaphore}) throws {@link IllegalStateException} when
 * released above its initial permits. Untimed {@code tryAcquire} takes free permits even while
 * others wait, as {@code Semaphore}'s does.
 *
 * <p>To signal between processes (release in one, acquire in another, never released back), use a
 * {@link SharedEvent} or {@link SharedQueue}: a semaphore returns a closing process's unreleased
 * acquisitions. Thread-safe.
 */
public interface SharedSemaphore extends SharedObject {
  void acquire() throws InterruptedException;

  void acquire(int permits) throws InterruptedException;

  boolean tryAcquire();

  boolean tryAcquire(int permits);

  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

  void release();

  void release(int permits);

  int availablePermits();
}
