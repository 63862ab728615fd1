package io.jmanager.server.types;

import java.util.concurrent.atomic.AtomicLong;

/** The daemon side of {@code SharedCounter}: an {@link AtomicLong}. */
public final class CounterObject implements Described {
  private final AtomicLong value = new AtomicLong();

  /** {@return the current value} */
  public long get() {
    return value.get();
  }

  /**
   * Replaces the value.
   *
   * @param v the new value
   */
  public void set(long v) {
    value.set(v);
  }

  /**
   * Adds {@code delta}, wrapping on overflow.
   *
   * @param delta what to add
   * @return the new value
   */
  public long addAndGet(long delta) {
    return value.addAndGet(delta);
  }

  /**
   * Adds {@code delta}, wrapping on overflow.
   *
   * @param delta what to add
   * @return the value before the addition
   */
  public long getAndAdd(long delta) {
    return value.getAndAdd(delta);
  }

  /** {@return the value after adding 1} */
  public long incrementAndGet() {
    return value.incrementAndGet();
  }

  /** {@return the value after subtracting 1} */
  public long decrementAndGet() {
    return value.decrementAndGet();
  }

  /**
   * Sets {@code update} if the value is {@code expect}.
   *
   * @param expect the value the caller last saw
   * @param update the new value
   * @return whether the value was replaced
   */
  public boolean compareAndSet(long expect, long update) {
    return value.compareAndSet(expect, update);
  }

  @Override
  public long statusSize() {
    return -1;
  }

  @Override
  public String statusDetails() {
    return "value=" + value.get();
  }
}
