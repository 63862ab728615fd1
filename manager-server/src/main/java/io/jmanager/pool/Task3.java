package io.jmanager.pool;

import java.io.Serializable;

/** A function of three arguments, for {@link ProcessPool#starmap(Task3, Iterable)}. */
@FunctionalInterface
public interface Task3<A, B, C, R> extends Serializable {
  R apply(A a, B b, C c) throws Exception;
}
