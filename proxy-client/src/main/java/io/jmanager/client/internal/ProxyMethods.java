package io.jmanager.client.internal;

import io.jmanager.wire.MethodTable;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How a proxy answers each method of one interface; computed once per interface. */
final class ProxyMethods {
  enum Kind { REMOTE, DEFAULT, NAME, TYPEID, EQUALS, HASH_CODE, TO_STRING }

  /** One method: how to answer it and, if remote, its id and argument handling. */
  record Info(
      Kind kind, int id, Method method, boolean interruptible, boolean blocking, boolean[] copyArgs) {}

  private static final Map<Class<?>, ProxyMethods> CACHE = new ConcurrentHashMap<>();

  private final MethodTable table;
  private final Map<Method, Info> infos = new ConcurrentHashMap<>();

  private ProxyMethods(Class<?> iface) {
    this.table = MethodTable.of(iface);
  }

  static ProxyMethods of(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, ProxyMethods::new);
  }

  MethodTable table() {
    return table;
  }

  Info info(Method m) {
    Info info = infos.get(m);
    return info != null ? info : infos.computeIfAbsent(m, this::classify);
  }

  private Info classify(Method m) {
    int id = table.idOf(m);
    if (id >= 0 && isIdentityMethod(m)) {
      id = -1; // Collection declares equals/hashCode, but only Map and List compare by content
    }
    if (id >= 0) {
      Class<?>[] params = m.getParameterTypes();
      boolean[] copy = new boolean[params.length];
      for (int i = 0; i < params.length; i++) {
        copy[i] = params[i] == Collection.class || params[i] == Map.class || params[i] == Iterable.class
            || params[i] == Object.class && m.getName().equals("equals");
      }
      boolean interruptible = declaresInterrupted(m);
      boolean blocking = interruptible || m.isAnnotationPresent(io.jmanager.client.Blocking.class);
      return new Info(Kind.REMOTE, id, m, interruptible, blocking, copy);
    }
    String sig = MethodTable.signature(m);
    Kind kind =
        switch (sig) {
          case "name()" -> Kind.NAME;
          case "typeid()" -> Kind.TYPEID;
          case "equals(Ljava/lang/Object;)" -> Kind.EQUALS;
          case "hashCode()" -> Kind.HASH_CODE;
          case "toString()" -> Kind.TO_STRING;
          default -> {
            if (!m.isDefault()) {
              throw new IllegalStateException("no remote method for " + m + " in " + table);
            }
            yield Kind.DEFAULT;
          }
        };
    return new Info(kind, -1, m, false, false, null);
  }

  private boolean isIdentityMethod(Method m) {
    String sig = MethodTable.signature(m);
    boolean identity = sig.equals("equals(Ljava/lang/Object;)") || sig.equals("hashCode()");
    Class<?> iface = table.iface();
    return identity && !Map.class.isAssignableFrom(iface) && !java.util.List.class.isAssignableFrom(iface);
  }

  private static boolean declaresInterrupted(Method m) {
    for (Class<?> e : m.getExceptionTypes()) {
      if (e == InterruptedException.class) {
        return true;
      }
    }
    return false;
  }
}
