package io.jmanager.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A shared lock: {@code m.lock(name)} is Python's {@code Lock} (not reentrant: a second {@code
 * lock()} by the holder waits forever), {@code m.rlock(name)} is Python's {@code RLock}
 * (reentrant). The owner is the (connection, thread) that locked it; {@code unlock} by anyone else,
 * or of an unlocked lock, throws {@link IllegalMonitorStateException}.
 *
 * <p>Waiting is parked on the daemon, first come first served, and costs it no thread. If the
 * owner's process dies or its connection drops, the daemon releases the lock and grants it to the
 * next waiter. {@code lock()} ignores interrupts, as {@link Lock} specifies; {@code
 * lockInterruptibly} and timed {@code tryLock} cancel their daemon-side wait when interrupted.
 * Thread-safe.
 */
public interface SharedLock extends Lock, SharedObject {

  /** Waits (parked on the daemon, no call timeout) until this thread holds the lock. */
  @Override
  @Blocking
  void lock();

  @Override
  void lockInterruptibly() throws InterruptedException;

  @Override
  boolean tryLock();

  @Override
  boolean tryLock(long time, TimeUnit unit) throws InterruptedException;

  @Override
  void unlock();

  /** Not supported: use {@link Manager#condition(String)}, which has its own lock. */
  @Override
  default Condition newCondition() {
    throw new UnsupportedOperationException("use Manager.condition(name): a shared condition with its own lock");
  }
}
