package io.jmanager.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cross-process lock of one {@link SharedMemory} block: a POSIX record lock ({@code fcntl}) on
 * the block's lock file ({@code <name>.lock} beside it, mode 0600), taken after a lock inside this
 * JVM. The kernel releases a record lock when its process dies, however it dies ({@code SIGKILL}
 * included), so a killed holder cannot leave the block locked; a lock word in the block itself
 * would need a liveness check of its holder's pid, which pid reuse can fool. The lock file, not the
 * block, carries it because POSIX drops every record lock a process holds on a file when the
 * process closes any descriptor of that file, and attaching to a block opens and closes one.
 *
 * <p>Reentrant for its holding thread (as {@link ReentrantLock}); {@link #unlock()} by another
 * thread throws {@link IllegalMonitorStateException}. One instance per block and JVM, shared by
 * every {@code SharedMemory} of the block in the JVM. Take it before the block is unlinked (the
 * unlink removes the lock file; a process that first locks after it gets a lock file of its own).
 */
public final class BlockLock implements Lock {
  /** The lock files of this JVM's locks: one channel per file, as POSIX record locks require. */
  private static final Map<Path, BlockLock> LOCKS = new ConcurrentHashMap<>();
  private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Path file;
  private final ReentrantLock inJvm = new ReentrantLock();
  private FileChannel channel; // guarded by inJvm; reopened after an interrupt closed it
  private FileLock held; // guarded by inJvm

  private BlockLock(Path file) {
    this.file = file;
  }

  /** The lock of the block in {@code blockFile}. */
  static BlockLock of(Path blockFile) {
    Path lockFile = lockFile(blockFile);
    return LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), BlockLock::new);
  }

  static Path lockFile(Path blockFile) {
    return blockFile.resolveSibling(blockFile.getFileName() + ".lock");
  }

  /** Forgets the lock of {@code blockFile} in this JVM (its block is unlinked). */
  static void forget(Path blockFile) {
    LOCKS.remove(lockFile(blockFile).toAbsolutePath().normalize());
  }

  private FileChannel channel() throws IOException {
    if (channel == null || !channel.isOpen()) {
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return channel;
  }

  /** Waits for the lock; interrupts do not end the wait (the flag is kept). */
  @Override
  public void lock() {
    inJvm.lock();
    if (inJvm.getHoldCount() > 1) {
      return;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          held = channel().lock(0, 1, false);
          return;
        } catch (ClosedChannelException e) {
          interrupted |= Thread.interrupted(); // an interrupt closed the channel: wait again, on a new one
        } catch (IOException e) {
          inJvm.unlock();
          throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    inJvm.lockInterruptibly();
    if (inJvm.getHoldCount() > 1) {
      return;
    }
    try {
      held = channel().lock(0, 1, false);
    } catch (ClosedChannelException e) {
      inJvm.unlock();
      Thread.interrupted();
      throw new InterruptedException("interrupted while waiting for the lock of " + file);
    } catch (IOException e) {
      inJvm.unlock();
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean tryLock() {
    if (!inJvm.tryLock()) {
      return false;
    }
    if (inJvm.getHoldCount() > 1 || tryFileLock()) {
      return true;
    }
    inJvm.unlock();
    return false;
  }

  /**
   * Waits up to {@code time} for the lock. The kernel has no timed wait for a record lock, so
   * once this JVM's lock is taken, the file lock is tried again after pauses from 0.1 ms doubling
   * to 20 ms until the deadline.
   */
  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(time);
    if (!inJvm.tryLock(time, unit)) {
      return false;
    }
    if (inJvm.getHoldCount() > 1) {
      return true;
    }
    long pause = FIRST_PAUSE_NANOS;
    while (true) {
      if (tryFileLock()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.interrupted()) {
        inJvm.unlock();
        if (left > 0) {
          throw new InterruptedException("interrupted while waiting for the lock of " + file);
        }
        return false;
      }
      LockSupport.parkNanos(this, Math.min(pause, left));
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }

  private boolean tryFileLock() {
    try {
      held = channel().tryLock(0, 1, false);
      return held != null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** @throws IllegalMonitorStateException if the calling thread does not hold the lock */
  @Override
  public void unlock() {
    if (!inJvm.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException("the lock of " + file + " is not held by this thread");
    }
    try {
      if (inJvm.getHoldCount() == 1 && held != null) {
        held.release();
        held = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlock " + file + ": " + e.getMessage(), e);
    } finally {
      inJvm.unlock();
    }
  }

  /** {@return whether the calling thread holds the lock} */
  public boolean isHeldByCurrentThread() {
    return inJvm.isHeldByCurrentThread();
  }

  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("a shared memory block's lock has no conditions");
  }

  @Override
  public String toString() {
    return "BlockLock[" + file + "]";
  }
}
