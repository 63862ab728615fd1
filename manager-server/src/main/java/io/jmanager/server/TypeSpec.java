package io.jmanager.server;

import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.HandsOver;
import io.jmanager.server.types.ItemSource;
import io.jmanager.wire.MethodTable;
import io.jmanager.server.journal.Effects;
import io.jmanager.server.journal.Recorder;
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
  /** Makes the object named {@code name} from the parameters a {@code Bind} carried. */
  interface Factory {
    Object create(String name, Object[] params);
  }

  /** What a method's result hands over to its caller, from its {@link HandsOver} mark. */
  enum Handover {
    /** Nothing: the result is a value, a copy or a verdict. */
    NONE,
    /** The result is one item taken out of an {@link ItemSource} (null: none). */
    ITEM,
    /** The result is a list of items taken out of an {@link ItemSource}, oldest first. */
    ITEMS;

    /** The items {@code result} hands over, oldest first; empty if none. */
    @SuppressWarnings("unchecked")
    List<Object> items(Object result) {
      if (this == NONE || result == null) {
        return List.of();
      }
      return this == ITEM ? List.of(result) : (List<Object>) result;
    }
  }

  private final String typeid;
  private final Class<?> iface;
  private final MethodTable table;
  private final Factory factory;
  private final Function<Object[], List<Object>> fixedParams;
  private final MethodHandle[] invokers;
  private final boolean[] wantsContext;
  private final boolean[] stores;
  private final boolean[] bulk;
  private final boolean[] wholeObject;
  private final Handover[] handovers;
  private final Recorder[] recorders;
  private final List<String> paramNames;
  private final boolean user;
  private final boolean cluster;

  TypeSpec(
      String typeid, Class<?> iface, Class<?> implementation, Factory factory,
      Function<Object[], List<Object>> fixedParams, String... paramNames) {
    this.paramNames = List.of(paramNames);
    this.user = iface == implementation; // user types are served through their interface
    this.cluster = io.jmanager.server.cluster.ClusterObject.class.isAssignableFrom(implementation);
    this.typeid = typeid;
    this.iface = iface;
    this.table = MethodTable.of(iface);
    this.factory = factory;
    this.fixedParams = fixedParams;
    this.wantsContext = new boolean[table.size()];
    this.handovers = new Handover[table.size()];
    this.invokers = compile(table, implementation, wantsContext, handovers);
    this.stores = new boolean[table.size()];
    this.bulk = new boolean[table.size()];
    this.wholeObject = new boolean[table.size()];
    this.recorders = new Recorder[table.size()];
    for (int i = 0; i < stores.length; i++) {
      stores[i] = !user && stores(table.methods().get(i));
      bulk[i] = bulk(table.methods().get(i));
      wholeObject[i] = table.methods().get(i).getName().equals("sort");
      recorders[i] = user ? null : Effects.recorder(typeid, table.methods().get(i));
    }
  }

  String typeid() {
    return typeid;
  }

  /** How many methods the type's client interface has (method ids run 0 to this, exclusive). */
  int methodCount() {
    return invokers.length;
  }

  /** The name of method {@code methodId}, as the client interface declares it. */
  String methodName(int methodId) {
    return table.methods().get(methodId).getName();
  }

  Class<?> iface() {
    return iface;
  }

  MethodTable table() {
    return table;
  }

  Object create(String name, Object[] params) {
    return factory.create(name, params);
  }

  /** {@code capacity=10}: fixed parameters as a user reads them. */
  String describe(List<Object> fixed) {
    if (fixed == null || fixed.isEmpty()) {
      return "default parameters";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fixed.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(i < paramNames.size() ? paramNames.get(i) : "param" + i).append('=').append(fixed.get(i));
    }
    return sb.toString();
  }

  /**
   * The parameters that identify the object (capacity, parties, ...); empty if none do, null if the
   * caller left them unsaid (any existing object of the name will do).
   */
  List<Object> fixedParams(Object[] params) {
    return fixedParams.apply(params);
  }

  /** A user-registered type: its calls run one at a time per object, on the user pool. */
  /** Whether the type's state lives in the cluster (its calls wait for Hazelcast: never on an event loop). */
  boolean isCluster() {
    return cluster;
  }

  boolean isUser() {
    return user;
  }

  /**
   * Whether method {@code methodId} may make the object hold more data, so falls under {@code
   * max.data.bytes}. Reads, removals and synchronization never do; neither do updates of
   * fixed-size state (counters, arrays: all-primitive parameters). A user type's calls are not
   * judged one by one: what they keep shows in the heap after the next collection.
   */
  boolean stores(int methodId) {
    return stores[methodId];
  }

  /**
   * Whether method {@code methodId}'s cost grows with its arguments (it takes a collection, map
   * or array) or with the whole object ({@code sort}): such a call with a large argument runs off
   * the event loop.
   */
  boolean bulk(int methodId) {
    return bulk[methodId];
  }

  /** Whether method {@code methodId} works on the whole object whatever its arguments ({@code sort}). */
  boolean wholeObject(int methodId) {
    return wholeObject[methodId];
  }

  private static boolean bulk(Method m) {
    for (Class<?> p : m.getParameterTypes()) {
      // declared collections only: sizing an Object argument would cost every put a type check
      // (hashing a huge key is caught by the slow-object rule instead)
      if (Iterable.class.isAssignableFrom(p) || java.util.Map.class.isAssignableFrom(p) || p.isArray()) {
        return true;
      }
    }
    return false;
  }

  private static final java.util.Set<String> STORING = java.util.Set.of(
      "put", "putAll", "putIfAbsent", "replace", "increment", "add", "addAll", "set", "offer", "compareAndSet",
      "getAndSet", "send");

  private static boolean stores(Method m) {
    if (!STORING.contains(m.getName())) {
      return false;
    }
    for (Class<?> p : m.getParameterTypes()) {
      if (!p.isPrimitive() && p != java.util.concurrent.TimeUnit.class) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the journal records of method {@code methodId}'s effects, or null if the journal derives
   * none from the call (it reads, or its type records its own effects, or none are durable).
   */
  Recorder recorder(int methodId) {
    return recorders[methodId];
  }

  /** Whether method {@code methodId} takes a {@link CallContext} (it may park). */
  boolean wantsContext(int methodId) {
    return wantsContext[methodId];
  }

  /** What method {@code methodId}'s result hands over to its caller (at-least-once delivery). */
  Handover handover(int methodId) {
    return handovers[methodId];
  }

  /**
   * The invoker of method {@code methodId}: {@code (Object target, CallContext ctx, Object[] args)
   * -> Object}; {@code ctx} is ignored by methods that do not take one.
   */
  MethodHandle invoker(int methodId) {
    return methodId >= 0 && methodId < invokers.length ? invokers[methodId] : null;
  }

  /** The implementation's {@code name(CallContext, params...)}, or null if it has none. */
  private static Method withContext(Class<?> implementation, Method m) {
    Class<?>[] params = new Class<?>[m.getParameterCount() + 1];
    params[0] = CallContext.class;
    System.arraycopy(m.getParameterTypes(), 0, params, 1, m.getParameterCount());
    try {
      return implementation.getMethod(m.getName(), params);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * For each remote method: the interface method itself if the implementation implements the
   * interface, otherwise its public method of the same name and parameter types.
   */
  private static MethodHandle[] compile(
      MethodTable table, Class<?> implementation, boolean[] wantsContext, Handover[] handovers) {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    List<Method> methods = table.methods();
    MethodHandle[] out = new MethodHandle[methods.size()];
    for (int i = 0; i < out.length; i++) {
      Method m = methods.get(i);
      try {
        Method target = table.iface().isAssignableFrom(implementation) ? m : withContext(implementation, m);
        wantsContext[i] = target != null && target != m;
        if (target == null) {
          target = implementation.getMethod(m.getName(), m.getParameterTypes());
        }
        handovers[i] = handover(implementation, target);
        MethodHandle mh = lookup.unreflect(target);
        int n = m.getParameterCount();
        if (wantsContext[i]) {
          // (T, CallContext, p1..pn)R -> (Object, CallContext, Object[])Object
          MethodType generic = MethodType.genericMethodType(n + 2).changeParameterType(1, CallContext.class);
          out[i] = mh.asType(generic).asSpreader(Object[].class, n);
        } else {
          MethodHandle spread = mh.asType(MethodType.genericMethodType(n + 1)).asSpreader(Object[].class, n);
          out[i] = MethodHandles.dropArguments(spread, 1, CallContext.class);
        }
      } catch (NoSuchMethodException | IllegalAccessException e) {
        throw new IllegalStateException(
            implementation.getName() + " cannot serve " + m.getName()
                + Arrays.toString(m.getParameterTypes()) + " of " + table.iface().getName(), e);
      }
    }
    return out;
  }

  /** The {@link HandsOver} mark of {@code target}, checked against what it returns and serves. */
  private static Handover handover(Class<?> implementation, Method target) {
    HandsOver mark = target.getAnnotation(HandsOver.class);
    if (mark == null) {
      return Handover.NONE;
    }
    if (!ItemSource.class.isAssignableFrom(implementation)) {
      throw new IllegalStateException(implementation.getName() + "." + target.getName()
          + " hands items over, but the type is no ItemSource to give them back to");
    }
    if (mark.list() && !List.class.isAssignableFrom(target.getReturnType())) {
      throw new IllegalStateException(implementation.getName() + "." + target.getName()
          + " hands over a list, but returns " + target.getReturnType().getName());
    }
    return mark.list() ? Handover.ITEMS : Handover.ITEM;
  }
}
