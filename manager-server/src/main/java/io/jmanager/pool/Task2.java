package io.jmanager.pool;

import java.io.Serializable;

/** A function of two arguments, for {@link ProcessPool#starmap(Task2, Iterable)}. */
@FunctionalInterface
public interface Task2<A, B, R> extends Serializable {
  /**
   * Runs the task on one pair of arguments, in a worker JVM.
   *
   * @param a the first argument
   * @param b the second argument
   * @return the result
   * @throws Exception fails this task alone
   */
  R apply(A a, B b) throws Exception;
}
