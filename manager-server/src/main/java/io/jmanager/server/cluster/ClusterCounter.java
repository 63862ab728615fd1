package io.jmanager.server.cluster;

import com.hazelcast.cp.IAtomicLong;
import io.jmanager.server.types.Described;

/**
 * A counter in cluster mode: a CP {@code IAtomicLong}, replicated by Raft across the CP members
 * ({@code cluster.cp.members}), so every increment a daemon acknowledged survives the loss of a
 * minority of them.
 */
public final class ClusterCounter implements ClusterObject, Described {
  private final IAtomicLong value;

  /**
   * The counter {@code name} of {@code node}'s cluster.
   *
   * @throws IllegalStateException if the CP subsystem has not formed yet (too few daemons)
   */
  public ClusterCounter(ClusterNode node, String name) {
    node.requireCp();
    this.value = node.hazelcast().getCPSubsystem().getAtomicLong(ClusterNode.structure(name));
  }

  /** {@return the value} */
  public long get() {
    return value.get();
  }

  /** Sets the value. */
  public void set(long v) {
    value.set(v);
  }

  /** {@return the value after adding {@code delta}} */
  public long addAndGet(long delta) {
    return value.addAndGet(delta);
  }

  /** {@return the value before adding {@code delta}} */
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

  /** {@return whether the value was {@code expect} and is now {@code update}} */
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

  @Override
  public void destroy() {
    value.destroy();
  }
}
