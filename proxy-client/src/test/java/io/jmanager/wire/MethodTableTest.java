package io.jmanager.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

class MethodTableTest {
  interface Shared {
    String name();
  }

  interface Box<T> extends Shared {
    T get();

    void set(T value);

    default T orElse(T other) {
      T v = get();
      return v == null ? other : v;
    }
  }

  interface Box2<T> extends Shared {
    T get();

    void set(T value);

    void clear();
  }

  @Test
  void abstractMethodsOnly_sortedByNameAndDescriptor() throws Exception {
    MethodTable t = MethodTable.of(Box.class);
    assertEquals(2, t.size()); // get, set: name() is answered by the proxy, orElse runs in the caller
    assertEquals(0, t.idOf(Box.class.getMethod("get")));
    assertEquals(-1, t.idOf(Box.class.getMethod("orElse", Object.class)));
    assertEquals(1, t.idOf(Box.class.getMethod("set", Object.class)));
  }

  interface Named extends java.util.function.Supplier<String> {
    @Override
    String get(); // javac adds a default bridge Object get() to this interface
  }

  @Test
  void bridgeMethods_areNotCountedAsDefaults() throws Exception {
    MethodTable t = MethodTable.of(Named.class);
    assertEquals(1, t.size());
    assertEquals(0, t.idOf(Named.class.getMethod("get")));
  }

  @Test
  void hashTellsTablesApart() {
    assertNotEquals(MethodTable.of(Box.class).hash(), MethodTable.of(Box2.class).hash());
    assertEquals(MethodTable.of(Box.class).hash(), MethodTable.of(Box.class).hash());
  }

  @Test
  void concurrentMapDefaultsStayClientSide() throws Exception {
    MethodTable t = MethodTable.of(ConcurrentMap.class);
    assertEquals(-1, t.idOf(ConcurrentMap.class.getMethod("merge", Object.class, Object.class, java.util.function.BiFunction.class)));
    assertTrue(t.idOf(ConcurrentMap.class.getMethod("putIfAbsent", Object.class, Object.class)) >= 0);
    assertTrue(t.idOf(java.util.Map.class.getMethod("remove", Object.class, Object.class)) >= 0);
  }

  @Test
  void allowlist_exactNamesAndPrefixes() {
    ClassAllowlist a = ClassAllowlist.parse("com.acme.Order, org.example.*, net.x.");
    assertTrue(a.allows("com.acme.Order"));
    assertTrue(!a.allows("com.acme.Other"));
    assertTrue(a.allows("org.example.deep.Thing"));
    assertTrue(a.allows("net.x.Y"));
    assertTrue(a.allows("[Lcom.acme.Order;"));
    assertTrue(!a.allows("[Lcom.acme.Other;"));
    assertTrue(ClassAllowlist.any().allows("anything.At.All"));
    assertTrue(a.allows("[I") && a.allows("[[J"));
    assertTrue(!a.allows("A") && !a.allows("[LA;"), "a one-letter class is not a primitive array");
  }
}
