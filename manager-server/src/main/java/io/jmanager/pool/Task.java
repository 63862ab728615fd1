package io.jmanager.pool;

import java.io.Serializable;

/**
 * A function a {@link ProcessPool} runs in its worker JVMs: a method reference or lambda of the
 * caller's own code. It travels by Java serialization, so a method reference ({@code Primes::count})
 * or a non-capturing lambda goes by name, as Python pickles a function by name; a capturing lambda
 * works when what it captures is serializable. Items and results travel as jmanager values do
 * (Kryo, as in a shared dict), so they need not be {@code Serializable}.
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {
  /**
   * Runs the task on one item, in a worker JVM.
   *
   * @param item the argument
   * @return the result, which travels back as jmanager values do
   * @throws Exception fails this task alone; the caller gets it as {@link ProcessPool} says
   */
  R apply(T item) throws Exception;
}
