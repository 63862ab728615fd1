package io.jmanager.server;

import io.jmanager.common.BuiltinTypes;
import io.jmanager.server.types.BarrierObject;
import io.jmanager.server.types.ConditionObject;
import io.jmanager.server.types.EventObject;
import io.jmanager.server.types.LockObject;
import io.jmanager.server.types.SemaphoreObject;
import io.jmanager.server.types.CacheObject;
import io.jmanager.server.types.DoubleArrayObject;
import io.jmanager.server.types.LongArrayObject;
import io.jmanager.server.types.PipeObject;
import io.jmanager.server.types.JoinableQueueObject;
import io.jmanager.server.types.QueueObject;
import io.jmanager.server.types.CounterObject;
import io.jmanager.server.types.DictObject;
import io.jmanager.server.types.ListObject;
import io.jmanager.server.types.NamespaceObject;
import io.jmanager.server.types.ValueObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The daemon's type table, like CPython's {@code SyncManager.register(...)} list: one line per
 * built-in type, then the user types from config and the builder. Adding a type touches this table
 * and nothing in the dispatcher.
 */
final class Types {
  private final Map<String, TypeSpec> specs = new TreeMap<>();
  private final Map<String, String> refused = new TreeMap<>();

  static Types builtins() {
    Types t = new Types();
    t.add("dict", DictObject.class, (name, p) -> new DictObject());
    t.add("list", ListObject.class, (name, p) -> new ListObject());
    t.add("counter", CounterObject.class, (name, p) -> new CounterObject());
    t.add("value", ValueObject.class, (name, p) -> new ValueObject(param(p, 0)));
    t.add("namespace", NamespaceObject.class, (name, p) -> new NamespaceObject());
    t.add("queue", QueueObject.class,
        (name, p) -> new QueueObject(capacity(p)), p -> p.length == 0 ? null : List.of(p[0]), "capacity");
    t.add("joinable-queue", JoinableQueueObject.class,
        (name, p) -> new JoinableQueueObject(capacity(p)), p -> p.length == 0 ? null : List.of(p[0]), "capacity");
    t.add("cache", CacheObject.class,
        (name, p) -> new CacheObject((String) param(p, 0)), p -> List.of(param(p, 0)), "spec");
    t.add("long-array", LongArrayObject.class,
        (name, p) -> new LongArrayObject((Integer) param(p, 0)), p -> List.of(param(p, 0)), "length");
    t.add("double-array", DoubleArrayObject.class,
        (name, p) -> new DoubleArrayObject((Integer) param(p, 0)), p -> List.of(param(p, 0)), "length");
    t.add("pipe", PipeObject.class, (name, p) -> new PipeObject());
    t.add("lock", LockObject.class, (name, p) -> new LockObject(false));
    t.add("rlock", LockObject.class, (name, p) -> new LockObject(true));
    t.add("semaphore", SemaphoreObject.class,
        (name, p) -> new SemaphoreObject((Integer) param(p, 0), false), p -> List.of(param(p, 0)), "permits");
    t.add("bounded-semaphore", SemaphoreObject.class,
        (name, p) -> new SemaphoreObject((Integer) param(p, 0), true), p -> List.of(param(p, 0)), "permits");
    t.add("condition", ConditionObject.class, (name, p) -> new ConditionObject());
    t.add("event", EventObject.class, (name, p) -> new EventObject());
    t.add("barrier", BarrierObject.class,
        (name, p) -> new BarrierObject((Integer) param(p, 0)), p -> List.of(param(p, 0)), "parties");
    return t;
  }

  /** Bytes that creating {@code typeid} with {@code params} allocates at once (arrays), else 0. */
  static long creationBytes(String typeid, Object[] params) {
    if ((typeid.equals("long-array") || typeid.equals("double-array")) && params != null && params.length > 0
        && params[0] instanceof Integer n && n > 0) {
      return 8L * n;
    }
    return 0;
  }

  /** A user type (Python's {@code register()}): a new instance per name, from {@code factory}. */
  <T> void register(String typeid, Class<T> iface, Supplier<? extends T> factory) {
    if (!iface.isInterface()) {
      throw new IllegalArgumentException("type '" + typeid + "': " + iface.getName() + " is not an interface");
    }
    if (specs.containsKey(typeid)) {
      throw new IllegalArgumentException("type '" + typeid + "' is already registered");
    }
    specs.put(typeid, new TypeSpec(typeid, iface, iface, (name, p) -> factory.get(), p -> List.of()));
  }

  /** A built-in type; its client interface comes from the shared table, {@link BuiltinTypes}. */
  private void add(String typeid, Class<?> impl, TypeSpec.Factory factory) {
    add(typeid, impl, factory, p -> List.of());
  }

  /**
   * A type whose creation parameters fix the object: {@code fixed} picks them from a bind's
   * parameters (null: the caller did not say, any existing object will do).
   */
  private void add(
      String typeid, Class<?> impl, TypeSpec.Factory factory,
      java.util.function.Function<Object[], List<Object>> fixed, String... names) {
    specs.put(typeid, new TypeSpec(typeid, BuiltinTypes.INTERFACES.get(typeid), impl, factory, fixed, names));
  }

  private static int capacity(Object[] p) {
    return p.length == 0 ? Integer.MAX_VALUE : (Integer) p[0];
  }

  /** Why {@code typeid} is refused here (a type cluster mode does not serve), or null. */
  String refusal(String typeid) {
    return refused.get(typeid);
  }

  /** Whether user types were registered (from config or the builder). */
  boolean hasUserTypes() {
    return specs.values().stream().anyMatch(TypeSpec::isUser);
  }

  /**
   * The type table of cluster mode: the types whose state lives in the cluster; the others are
   * refused with a message that says so.
   */
  static Types cluster(io.jmanager.server.cluster.ClusterNode node) {
    Types t = new Types();
    t.add("dict", io.jmanager.server.cluster.ClusterDict.class, (name, p) -> new io.jmanager.server.cluster.ClusterDict(node, name));
    t.add("list", io.jmanager.server.cluster.ClusterList.class, (name, p) -> new io.jmanager.server.cluster.ClusterList(node, name));
    t.add("counter", io.jmanager.server.cluster.ClusterCounter.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterCounter(node, name));
    t.add("value", io.jmanager.server.cluster.ClusterValue.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterValue(node, name));
    t.add("namespace", io.jmanager.server.cluster.ClusterNamespace.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterNamespace(node, name));
    t.add("long-array", io.jmanager.server.cluster.ClusterLongArray.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterLongArray(node, name, (Integer) param(p, 0)),
        p -> List.of(param(p, 0)), "length");
    t.add("double-array", io.jmanager.server.cluster.ClusterDoubleArray.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterDoubleArray(node, name, (Integer) param(p, 0)),
        p -> List.of(param(p, 0)), "length");
    t.add("lock", io.jmanager.server.cluster.ClusterLock.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterLock(node, name, false));
    t.add("rlock", io.jmanager.server.cluster.ClusterLock.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterLock(node, name, true));
    t.add("queue", io.jmanager.server.cluster.ClusterQueue.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterQueue(node, name, capacity(p)),
        p -> p.length == 0 ? null : List.of(p[0]), "capacity");
    t.add("joinable-queue", io.jmanager.server.cluster.ClusterJoinableQueue.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterJoinableQueue(node, name, capacity(p)),
        p -> p.length == 0 ? null : List.of(p[0]), "capacity");
    t.add("cache", io.jmanager.server.cluster.ClusterCache.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterCache(node, name, (String) param(p, 0)),
        p -> List.of(param(p, 0)), "spec");
    t.add("semaphore", io.jmanager.server.cluster.ClusterSemaphore.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterSemaphore(node, name, (Integer) param(p, 0), false),
        p -> List.of(param(p, 0)), "permits");
    t.add("bounded-semaphore", io.jmanager.server.cluster.ClusterSemaphore.class,
        (name, p) -> new io.jmanager.server.cluster.ClusterSemaphore(node, name, (Integer) param(p, 0), true),
        p -> List.of(param(p, 0)), "permits");
    for (String typeid : builtins().specs.keySet()) {
      if (!t.specs.containsKey(typeid)) {
        t.refused.put(typeid, "a " + typeid + " is not available in cluster mode (cluster.enabled): its state cannot"
            + " live in the cluster; the README's section \"Cluster mode\" lists the types that can");
      }
    }
    return t;
  }

  TypeSpec get(String typeid) {
    return specs.get(typeid);
  }

  String known() {
    return String.join(", ", specs.keySet());
  }

  static Object param(Object[] params, int i) {
    if (params == null || params.length <= i) {
      throw new IllegalArgumentException("missing creation parameter " + i + " in " + Arrays.toString(params));
    }
    return params[i];
  }
}
