package io.jmanager.client.internal;

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
 */
final class ProxyHandler implements InvocationHandler {
  private final RealManager owner;
  private final ObjectRef ref;
  private final ProxyMethods methods;
  private volatile int objectId;

  ProxyHandler(RealManager owner, ObjectRef ref, Class<?> iface, int objectId) {
    this.owner = owner;
    this.ref = ref;
    this.methods = ProxyMethods.of(iface);
    this.objectId = objectId;
  }

  ObjectRef ref() {
    return ref;
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

  /** The daemon-side id, binding by name on first use for proxies that arrived as values. */
  int objectId() {
    int id = objectId;
    if (id < 0) {
      id = owner.bindExisting(ref, methods.table());
      objectId = id;
    }
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
