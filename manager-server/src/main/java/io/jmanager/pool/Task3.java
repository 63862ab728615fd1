package io.jmanager.pool;

import java.io.Serializable;

/** A function of three arguments, for {@link ProcessPool#starmap(Task3, Iterable)}. */
@FunctionalInterface
public interface Task3<A, B, C, R> extends Serializable {
  /**
   * Runs the task on one triple of arguments, in a worker JVM.
   *
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @return the result
   * @throws Exception fails this task alone
   */
  R apply(A a, B b, C c) throws Exception;
}
