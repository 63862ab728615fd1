package io.jmanager.wire;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * The remote methods of a shared-object interface, numbered the same way on both sides: the
 * interface's abstract methods (after overriding defaults are taken into account), sorted by name
 * and descriptor; a method's id is its index. Default methods run in the caller (so
 * {@code ConcurrentMap.merge} is a client-side retry loop over remote atomic calls), and the
 * methods of {@code SharedObject} ({@code name()}, {@code typeid()}) are answered by the proxy.
 *
 * <p>Thread-safe and immutable; tables are cached per interface.
 */
public final class MethodTable {
  private static final Set<String> LOCAL_NAMES = Set.of("name()", "typeid()");
  private static final Map<Class<?>, MethodTable> CACHE = new ConcurrentHashMap<>();

  private final Class<?> iface;
  private final List<Method> methods;
  private final Map<String, Integer> idsBySignature;
  private final int hash;

  private MethodTable(Class<?> iface) {
    if (!iface.isInterface()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    this.iface = iface;
    List<Method> remote = new ArrayList<>();
    for (Method m : mostSpecific(iface).values()) {
      if (Modifier.isAbstract(m.getModifiers()) && !LOCAL_NAMES.contains(signature(m))) {
        remote.add(m);
      }
    }
    remote.sort(Comparator.comparing(MethodTable::descriptor));
    this.methods = List.copyOf(remote);
    this.idsBySignature = new HashMap<>();
    CRC32 crc = new CRC32();
    for (int i = 0; i < methods.size(); i++) {
      idsBySignature.put(signature(methods.get(i)), i);
      crc.update((descriptor(methods.get(i)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    this.hash = (int) crc.getValue();
  }

  /**
   * {@return the method table of {@code iface}, built once and cached}
   *
   * @param iface a shared-object interface
   * @throws IllegalArgumentException if {@code iface} is not an interface
   */
  public static MethodTable of(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, MethodTable::new);
  }

  /** {@return the interface this table numbers} */
  public Class<?> iface() {
    return iface;
  }

  /** {@return the remote methods in id order, as an immutable list} */
  public List<Method> methods() {
    return methods;
  }

  /** {@return the number of remote methods; ids run from 0 to {@code size() - 1}} */
  public int size() {
    return methods.size();
  }

  /**
   * {@return a checksum of every remote method's descriptor, in id order} Two sides whose tables
   * differ (versions out of step) have different hashes, and a bind between them is refused.
   */
  public int hash() {
    return hash;
  }

  /**
   * {@return the id of {@code m}, or -1 if it is not a remote method (a default, or {@code name()}
   * or {@code typeid()})}
   *
   * @param m a method declared by the interface or a super-interface
   */
  public int idOf(Method m) {
    return idsBySignature.getOrDefault(signature(m), -1);
  }

  /**
   * {@return {@code name(erased parameter types)}: what identifies a method across overriding
   * interfaces}
   *
   * @param m any method
   */
  public static String signature(Method m) {
    return m.getName()
        + MethodType.methodType(void.class, m.getParameterTypes())
            .toMethodDescriptorString()
            .replace(")V", ")");
  }

  static String descriptor(Method m) {
    return m.getName()
        + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
  }

  /**
   * For each signature, the declaration that wins under Java's rules for interfaces: the one whose
   * declaring interface is a sub-interface of the others' (an abstract redeclaration in a
   * sub-interface hides a default above it, and vice versa).
   */
  private static Map<String, Method> mostSpecific(Class<?> iface) {
    Map<String, Method> winners = new LinkedHashMap<>();
    for (Method m : iface.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isBridge() || m.getDeclaringClass() == Object.class) {
        continue;
      }
      winners.merge(
          signature(m),
          m,
          (a, b) -> a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass()) ? b : a);
    }
    return winners;
  }

  @Override
  public String toString() {
    return iface.getSimpleName() + Arrays.toString(methods.stream().map(MethodTable::descriptor).toArray());
  }
}
