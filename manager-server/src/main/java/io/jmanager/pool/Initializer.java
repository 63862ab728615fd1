package io.jmanager.pool;

import java.io.Serializable;

/** Code a {@link ProcessPool} runs once in each worker JVM before its first task (Python's {@code initializer}). */
@FunctionalInterface
public interface Initializer extends Serializable {
  /**
   * Prepares the worker JVM, once, before its first task.
   *
   * @throws Exception makes the pool fail every task, naming the worker and this exception
   */
  void run() throws Exception;
}
