package io.jmanager.client.internal;

import io.jmanager.wire.MethodTable;
import io.jmanager.wire.ObjectRef;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invocation handler behind every proxy: remote methods become one call over the owning
 * manager's connection, default methods run here, and identity methods are answered locally.
 *
 * <p>A proxy is bound by its name and type, not by the daemon's object id: the id it calls with
 * belongs to one connection, and after a reconnect the proxy binds again by name (creating the
 * object with the parameters it was first asked for, if the daemon no longer has it) before its
 * next call.
 */
final class ProxyHandler implements InvocationHandler {
  private final RealManager owner;
  private final ObjectRef ref;
  private final ProxyMethods methods;
  private final Object[] params; // creation parameters; null: bind only an existing object
  final Holds holds; // what this client holds of a lock or semaphore; null for other types
  private volatile Binding binding; // null until first bound

  /** The daemon's id for the object on one connection. */
  private record Binding(Connection connection, int objectId) {}

  ProxyHandler(RealManager owner, ObjectRef ref, Class<?> iface, Object[] params, Holds holds) {
    this.owner = owner;
    this.ref = ref;
    this.methods = ProxyMethods.of(iface);
    this.params = params;
    this.holds = holds;
  }

  ObjectRef ref() {
    return ref;
  }

  MethodTable table() {
    return methods.table();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    ProxyMethods.Info info = methods.info(method);
    return switch (info.kind()) {
      case REMOTE -> info.method().getName().equals("equals") && info.copyArgs().length == 1
          ? contentEquals(proxy, info, args[0])
          : owner.call(this, info, copyArgs(info, args));
      case DEFAULT -> invokeDefault(proxy, method, args);
      case NAME -> ref.name();
      case TYPEID -> ref.typeid();
      case EQUALS -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
          && Proxy.getInvocationHandler(args[0]) instanceof ProxyHandler other
          && other.owner.daemonId() == owner.daemonId() && other.ref.equals(ref);
      case HASH_CODE -> ref.hashCode();
      case TO_STRING -> methods.table().iface().getSimpleName() + "[" + ref.name() + " @ " + owner.address() + "]";
    };
  }

  /** A default method runs here; inside a pipeline it may make no remote call. */
  private Object invokeDefault(Object proxy, Method method, Object[] args) throws Throwable {
    RealPipeline pipeline = RealPipeline.current(owner);
    return pipeline == null
        ? InvocationHandler.invokeDefault(proxy, method, args)
        : pipeline.inDefaultMethod(method, () -> InvocationHandler.invokeDefault(proxy, method, args));
  }

  /** {@code Map}/{@code List} equality: one round trip, comparing with a plain copy of {@code other}. */
  private Object contentEquals(Object proxy, ProxyMethods.Info info, Object other) throws Throwable {
    if (other == proxy) {
      return true;
    }
    if (!(other instanceof Collection) && !(other instanceof Map)) {
      return false;
    }
    return owner.call(this, info, new Object[] {plain(other)});
  }

  /**
   * The object's id on {@code c}, binding by name first if this proxy was not yet bound on it (a
   * proxy that arrived as a value, or any proxy after a reconnect).
   *
   * @param deadline the caller's {@link System#nanoTime()} deadline, or 0 for none
   */
  int objectIdOn(Connection c, long deadline) {
    Binding b = binding;
    if (b != null && b.connection() == c) {
      return b.objectId();
    }
    int id = owner.bindOn(c, ref, methods.table(), params, deadline);
    binding = new Binding(c, id);
    return id;
  }

  /**
   * Collections and maps passed to bulk methods ({@code addAll}, {@code putAll}, {@code equals})
   * travel as plain JDK copies, so any implementation a caller holds can be sent.
   */
  private static Object[] copyArgs(ProxyMethods.Info info, Object[] args) {
    if (args == null) {
      return null;
    }
    boolean[] copy = info.copyArgs();
    for (int i = 0; i < args.length; i++) {
      if (copy[i] && args[i] != null) {
        args[i] = plain(args[i]);
      }
    }
    return args;
  }

  private static Object plain(Object arg) {
    if (arg instanceof io.jmanager.client.SharedDict<?, ?> d) {
      return d.copy(); // compared and bulk-applied by content, so the daemon needs the content
    }
    if (arg instanceof io.jmanager.client.SharedList<?> l) {
      return l.copy();
    }
    if (arg instanceof List<?> l) {
      return arg instanceof ArrayList ? arg : new ArrayList<>(l);
    }
    if (arg instanceof Set<?> s) {
      return arg instanceof LinkedHashSet || arg.getClass() == java.util.HashSet.class ? arg : new LinkedHashSet<>(s);
    }
    if (arg instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (arg instanceof Iterable<?> it) {
      List<Object> copy = new ArrayList<>();
      it.forEach(copy::add);
      return copy;
    }
    if (arg instanceof Map<?, ?> m) {
      return arg instanceof LinkedHashMap || arg.getClass() == java.util.HashMap.class ? arg : new LinkedHashMap<>(m);
    }
    return arg;
  }
}
