package io.jmanager.server;

import io.jmanager.wire.MethodTable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One shared type as the daemon knows it: its typeid, the client interface (whose {@link
 * MethodTable} numbers the methods), a factory from creation parameters, and which of those
 * parameters fix the object (asking again with others is an error). The invokers are compiled once
 * from the implementation class, so a call is an array index and a {@link MethodHandle}, no
 * reflection.
 */
final class TypeSpec {
  /** Makes an object from the parameters a {@code Bind} carried. */
  interface Factory {
    Object create(Object[] params);
  }

  private final String typeid;
  private final Class<?> iface;
  private final MethodTable table;
  private final Factory factory;
  private final Function<Object[], List<Object>> fixedParams;
  private final MethodHandle[] invokers;

  TypeSpec(
      String typeid, Class<?> iface, Class<?> implementation, Factory factory,
      Function<Object[], List<Object>> fixedParams) {
    this.typeid = typeid;
    this.iface = iface;
    this.table = MethodTable.of(iface);
    this.factory = factory;
    this.fixedParams = fixedParams;
    this.invokers = compile(table, implementation);
  }

  String typeid() {
    return typeid;
  }

  Class<?> iface() {
    return iface;
  }

  MethodTable table() {
    return table;
  }

  Object create(Object[] params) {
    return factory.create(params);
  }

  /** The parameters that identify the object (capacity, parties, ...); empty if none do. */
  List<Object> fixedParams(Object[] params) {
    return fixedParams.apply(params);
  }

  /** The invoker of method {@code methodId}: {@code (Object target, Object[] args) -> Object}. */
  MethodHandle invoker(int methodId) {
    return methodId >= 0 && methodId < invokers.length ? invokers[methodId] : null;
  }

  /**
   * For each remote method: the interface method itself if the implementation implements the
   * interface, otherwise its public method of the same name and parameter types.
   */
  private static MethodHandle[] compile(MethodTable table, Class<?> implementation) {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    List<Method> methods = table.methods();
    MethodHandle[] out = new MethodHandle[methods.size()];
    for (int i = 0; i < out.length; i++) {
      Method m = methods.get(i);
      try {
        Method target =
            table.iface().isAssignableFrom(implementation)
                ? m
                : implementation.getMethod(m.getName(), m.getParameterTypes());
        MethodHandle mh = lookup.unreflect(target);
        int n = m.getParameterCount();
        out[i] = mh.asType(MethodType.genericMethodType(n + 1)).asSpreader(Object[].class, n);
      } catch (NoSuchMethodException | IllegalAccessException e) {
        throw new IllegalStateException(
            implementation.getName() + " cannot serve " + m.getName()
                + Arrays.toString(m.getParameterTypes()) + " of " + table.iface().getName(), e);
      }
    }
    return out;
  }
}
