package io.jmanager.server.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A call context without a daemon: the answer of the call it parks is kept for the test to read,
 * and its scheduled tasks (timeouts) run only when the test runs them. It stands for one client
 * thread of a session; {@link #thread} gives another thread of the same session, and {@link
 * #interrupt} and {@link #closeSession} end waits the way the daemon does on a {@code Cancel} and
 * on a closed connection.
 */
final class FakeContext implements CallContext {
  final List<Runnable> scheduled = new ArrayList<>();
  private final Set<Runnable> over = Collections.newSetFromMap(new IdentityHashMap<>());
  private final long sessionId;
  private final long threadId;
  private final List<Pending> sessionWaits; // every call parked by this session's threads
  volatile Object answer; // what the parked call was answered with: a value or a Throwable
  volatile int answers;
  volatile Pending parked; // the last call parked

  FakeContext() {
    this(1);
  }

  FakeContext(long sessionId) {
    this(sessionId, 1, Collections.synchronizedList(new ArrayList<>()));
  }

  private FakeContext(long sessionId, long threadId, List<Pending> sessionWaits) {
    this.sessionId = sessionId;
    this.threadId = threadId;
    this.sessionWaits = sessionWaits;
  }

  /** Another client thread of this session: a different lock owner, whose waits end with it. */
  FakeContext thread(long otherThreadId) {
    return new FakeContext(sessionId, otherThreadId, sessionWaits);
  }

  @Override
  public long sessionId() {
    return sessionId;
  }

  @Override
  public long threadId() {
    return threadId;
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
    sessionWaits.add(p);
    return p;
  }

  @Override
  public synchronized Runnable schedule(Runnable task, long delayNanos) {
    scheduled.add(task);
    return () -> {
      synchronized (this) {
        over.add(task);
      }
    };
  }

  /** The one timeout the parked call scheduled. */
  synchronized Runnable timer() {
    if (scheduled.size() != 1) {
      throw new IllegalStateException(scheduled.size() + " tasks scheduled, expected 1");
    }
    return scheduled.get(0);
  }

  /** Runs, on this thread, the one scheduled task neither cancelled nor run yet: its time is up. */
  void fireTimer() {
    Runnable task;
    synchronized (this) {
      List<Runnable> due = scheduled.stream().filter(t -> !over.contains(t)).toList();
      if (due.size() != 1) {
        throw new IllegalStateException(due.size() + " tasks due, expected 1");
      }
      task = due.get(0);
      over.add(task);
    }
    task.run();
  }

  /** Scheduled tasks neither cancelled nor run: what a finished wait must not leave behind. */
  synchronized int liveTimers() {
    return (int) scheduled.stream().filter(t -> !over.contains(t)).count();
  }

  /** The one answer the parked call got; fails unless there was exactly one. */
  Object onlyAnswer() {
    if (answers != 1) {
      throw new AssertionError(
          "expected exactly 1 answer, got " + answers + " (last: " + answer + ")");
    }
    return answer;
  }

  /** The client thread of the last parked call was interrupted: the daemon cancels that wait. */
  void interrupt() {
    parked.cancel(new InterruptedException("the waiting client thread was interrupted"));
  }

  /**
   * The session's connection closed, in the daemon's order: every wait its threads parked is
   * abandoned, then each of {@code objects} that holds per-session state lets go of it.
   */
  void closeSession(Object... objects) {
    List<Pending> waits;
    synchronized (sessionWaits) {
      waits = new ArrayList<>(sessionWaits);
    }
    waits.forEach(p -> p.abandon(new IllegalStateException("session " + sessionId + " closed")));
    for (Object o : objects) {
      if (o instanceof SessionAware aware) {
        aware.sessionClosed(sessionId);
      }
    }
  }

  /** Joins {@code t}, failing if it is still running after 10 s (a test thread must never hang the run). */
  static void join(Thread t) throws InterruptedException {
    t.join(10_000);
    if (t.isAlive()) {
      throw new AssertionError(t.getName() + " is still running after 10 s");
    }
  }
}
