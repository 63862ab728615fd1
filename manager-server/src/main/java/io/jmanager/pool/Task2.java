package io.jmanager.pool;

import java.io.Serializable;

/** A function of two arguments, for {@link ProcessPool#starmap(Task2, Iterable)}. */
@FunctionalInterface
public interface Task2<A, B, R> extends Serializable {
  R apply(A a, B b) throws Exception;
}
