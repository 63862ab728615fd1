package io.jmanager.server.types;

import java.util.Objects;

/** The daemon side of {@code SharedValue}: one reference, compared by {@code equals}. */
public final class ValueObject implements Described {
  private Object value;

  public ValueObject(Object initial) {
    this.value = initial;
  }

  public synchronized Object get() {
    return value;
  }

  public synchronized void set(Object v) {
    value = v;
  }

  public synchronized Object getAndSet(Object v) {
    Object old = value;
    value = v;
    return old;
  }

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
