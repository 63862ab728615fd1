package io.jmanager.pool;

import java.io.Serializable;

/** Code a {@link ProcessPool} runs once in each worker JVM before its first task (Python's {@code initializer}). */
@FunctionalInterface
public interface Initializer extends Serializable {
  void run() throws Exception;
}
