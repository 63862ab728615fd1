package io.jmanager.server.types;

import java.util.concurrent.atomic.AtomicLong;

/** The daemon side of {@code SharedCounter}: an {@link AtomicLong}. */
public final class CounterObject implements Described {
  private final AtomicLong value = new AtomicLong();

  public long get() {
    return value.get();
  }

  public void set(long v) {
    value.set(v);
  }

  public long addAndGet(long delta) {
    return value.addAndGet(delta);
  }

  public long getAndAdd(long delta) {
    return value.getAndAdd(delta);
  }

  public long incrementAndGet() {
    return value.incrementAndGet();
  }

  public long decrementAndGet() {
    return value.decrementAndGet();
  }

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
