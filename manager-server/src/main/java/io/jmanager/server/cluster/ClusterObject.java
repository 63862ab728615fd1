package io.jmanager.server.cluster;

/**
 * A shared object whose state lives in the cluster. Its calls wait for Hazelcast, so the daemon
 * runs them on the cluster's threads, one session's calls in order, never on an event loop.
 */
public interface ClusterObject {
  /**
   * Sets the state a new object starts with, once in the cluster: on the daemon that created the
   * object's directory entry (a value's initial value).
   *
   * @param params the object's creation parameters
   */
  default void initialize(Object[] params) {}

  /** Removes the object's state from the cluster (the object was deleted). */
  void destroy();
}
