package io.jmanager.server.types;

import java.util.ArrayList;
import java.util.List;

/**
 * A call context without a daemon: the answer of the call it parks is kept for the test to read,
 * and its scheduled tasks (timeouts) run only when the test runs them.
 */
final class FakeContext implements CallContext {
  final List<Runnable> scheduled = new ArrayList<>();
  private final long sessionId;
  volatile Object answer; // what the parked call was answered with: a value or a Throwable
  volatile int answers;
  volatile Pending parked; // the last call parked

  FakeContext() {
    this(1);
  }

  FakeContext(long sessionId) {
    this.sessionId = sessionId;
  }

  @Override
  public long sessionId() {
    return sessionId;
  }

  @Override
  public long threadId() {
    return 1;
  }

  @Override
  public long pid() {
    return 1;
  }

  @Override
  public Pending park() {
    Pending p = new Pending(this, (value, failure) -> {
      answer = failure != null ? failure : value;
      answers++;
    });
    parked = p;
    return p;
  }

  @Override
  public synchronized Runnable schedule(Runnable task, long delayNanos) {
    scheduled.add(task);
    return () -> {};
  }

  /** The one timeout the parked call scheduled. */
  synchronized Runnable timer() {
    if (scheduled.size() != 1) {
      throw new IllegalStateException(scheduled.size() + " tasks scheduled, expected 1");
    }
    return scheduled.get(0);
  }
}
