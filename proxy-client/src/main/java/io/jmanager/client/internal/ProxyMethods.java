package io.jmanager.client.internal;

import io.jmanager.client.SharedCondition;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedSemaphore;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.common.ManagerService;
import io.jmanager.wire.MethodTable;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** How a proxy answers each method of one interface; computed once per interface. */
final class ProxyMethods {
  enum Kind { REMOTE, DEFAULT, NAME, TYPEID, EQUALS, HASH_CODE, TO_STRING }

  /** What a remote method does to a lock's holds or a semaphore's permits, as the client counts them. */
  enum Hold { NONE, ACQUIRE, RELEASE }

  /**
   * One method: how to answer it and, if remote, its id, argument handling, whether a call lost in
   * flight may be made again on the next connection ({@code retrySafe}: a read of a built-in type,
   * which changes nothing), and its effect on the holds the client counts.
   */
  record Info(
      Kind kind, int id, Method method, boolean interruptible, boolean blocking, boolean[] copyArgs,
      boolean retrySafe, Hold hold) {}

  /**
   * The reads of built-in types that are made again, once reconnected, when the connection is lost
   * while they are in flight: they change nothing, so making them twice is the same as once. By
   * name; {@code get} only with at most one parameter (a cache's {@code get(key, mappingFunction)}
   * stores).
   */
  static final Set<String> RETRY_SAFE = Set.of(
      "get", "getOrDefault", "containsKey", "containsValue", "contains", "containsAll", "size", "isEmpty",
      "copy", "keySet", "values", "entrySet", "equals", "hashCode", "indexOf", "lastIndexOf", "iterator",
      "listIterator", "subList", "toArray", "peek", "element", "remainingCapacity", "getIfPresent",
      "getAllPresent", "estimatedSize", "stats", "asMap", "length", "attributes", "isSet",
      "availablePermits", "parties", "numberWaiting", "isBroken", "exists", "names", "info");

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
      return new Info(Kind.REMOTE, id, m, interruptible, blocking, copy, retrySafe(m), hold(m));
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
    return new Info(kind, -1, m, false, false, null, false, Hold.NONE);
  }

  private boolean retrySafe(Method m) {
    Class<?> iface = table.iface();
    boolean builtin = BuiltinTypes.INTERFACES.containsValue(iface) || iface == ManagerService.class;
    return builtin && RETRY_SAFE.contains(m.getName()) && !(m.getName().equals("get") && m.getParameterCount() > 1);
  }

  /** Whether proxies of {@code iface} hold something the daemon releases with their connection. */
  static boolean holdable(Class<?> iface) {
    return iface == SharedLock.class || iface == SharedSemaphore.class || iface == SharedCondition.class;
  }

  private Hold hold(Method m) {
    if (!holdable(table.iface())) {
      return Hold.NONE;
    }
    return switch (m.getName()) {
      case "lock", "lockInterruptibly", "tryLock", "acquire", "tryAcquire" -> Hold.ACQUIRE;
      case "unlock", "release" -> Hold.RELEASE;
      default -> Hold.NONE;
    };
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
