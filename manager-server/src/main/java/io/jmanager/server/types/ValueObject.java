package io.jmanager.server.types;

import java.util.Objects;

/** The daemon side of {@code SharedValue}: one reference, compared by {@code equals}. */
public final class ValueObject implements Described {
  private Object value;

  /**
   * Creates the value.
   *
   * @param initial what it holds first; may be null
   */
  public ValueObject(Object initial) {
    this.value = initial;
  }

  /** {@return the value; the reply carries a copy} */
  public synchronized Object get() {
    return value;
  }

  /**
   * Replaces the value.
   *
   * @param v the new value; may be null
   */
  public synchronized void set(Object v) {
    value = v;
  }

  /**
   * Replaces the value.
   *
   * @param v the new value; may be null
   * @return the value it replaced
   */
  public synchronized Object getAndSet(Object v) {
    Object old = value;
    value = v;
    return old;
  }

  /**
   * Sets {@code update} if the value {@code equals} {@code expect} (two nulls are equal).
   *
   * @param expect the value the caller last saw
   * @param update the new value
   * @return whether the value was replaced
   */
  public synchronized boolean compareAndSet(Object expect, Object update) {
    if (!Objects.equals(value, expect)) {
      return false;
    }
    value = update;
    return true;
  }

  @Override
  public long statusSize() {
    return -1;
  }

  @Override
  public synchronized String statusDetails() {
    String s = String.valueOf(value);
    return "value=" + (s.length() > 60 ? s.substring(0, 57) + "..." : s);
  }
}
