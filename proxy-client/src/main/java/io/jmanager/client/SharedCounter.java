package io.jmanager.client;

/**
 * A shared {@code long} counter that starts at 0, with {@link java.util.concurrent.atomic.AtomicLong}'s
 * names. Every method is one atomic daemon operation. Thread-safe.
 */
public interface SharedCounter extends SharedObject {
  long get();

  void set(long value);

  long addAndGet(long delta);

  long getAndAdd(long delta);

  long incrementAndGet();

  long decrementAndGet();

  boolean compareAndSet(long expect, long update);
}
