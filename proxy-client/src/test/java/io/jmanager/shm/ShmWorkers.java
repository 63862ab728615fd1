package io.jmanager.shm;

/** Worker JVM programs of the shared memory tests, started with WorkerProcess. */
public final class ShmWorkers {
  private ShmWorkers() {}

  /** {@code name index n}: {@code addAndGet(index, 1)} n times on the block's longs. */
  public static final class Adder {
    public static void main(String[] args) {
      try (SharedMemory block = SharedMemory.attach(args[0])) {
        LongArrayView longs = block.longs();
        int index = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) {
          longs.addAndGet(index, 1);
        }
      }
    }
  }

  /** {@code name n}: adds 0.5 to the block's first double n times. */
  public static final class DoubleAdder {
    public static void main(String[] args) {
      try (SharedMemory block = SharedMemory.attach(args[0])) {
        DoubleArrayView doubles = block.doubles();
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
          doubles.addAndGet(0, 0.5);
        }
      }
    }
  }

  /**
   * {@code name n}: n read-modify-writes of the block's first long with plain access, each under
   * the block's lock: only mutual exclusion keeps the total exact.
   */
  public static final class LockedIncrementer {
    public static void main(String[] args) {
      try (SharedMemory block = SharedMemory.attach(args[0])) {
        LongArrayView longs = block.longs();
        BlockLock lock = block.lock();
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
          lock.lock();
          try {
            longs.set(0, longs.get(0) + 1);
          } finally {
            lock.unlock();
          }
        }
      }
    }
  }

  /** {@code name}: takes the block's lock, says so on stdout, and holds it until killed. */
  public static final class LockHolder {
    public static void main(String[] args) throws InterruptedException {
      SharedMemory block = SharedMemory.attach(args[0]);
      block.lock().lock();
      System.out.println("locked");
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}
