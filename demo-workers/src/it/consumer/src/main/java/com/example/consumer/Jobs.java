package com.example.consumer;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;

/** The consumer's own code: it compiles with proxy-client alone (manager-server is test scope). */
public final class Jobs {
  private final SharedDict<String, Integer> registry;

  public Jobs(Manager m) {
    this.registry = m.dict("registry");
  }

  /** Counts one more job of {@code worker}, atomically across processes; returns the new count. */
  public int done(String worker) {
    return registry.merge(worker, 1, Integer::sum);
  }

  public Integer count(String worker) {
    return registry.get(worker);
  }
}
