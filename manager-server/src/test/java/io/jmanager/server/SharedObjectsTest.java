package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ServerInfo;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedNamespace;
import io.jmanager.client.SharedValue;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedObjectsTest extends DaemonTestBase {

  @Test
  void dict_isSharedBetweenConnections() {
    SharedDict<String, Integer> d = m.dict("shared-dict");
    d.put("a", 1);
    SharedDict<String, Integer> seen = other.dict("shared-dict");
    assertEquals(1, seen.get("a"));
    assertEquals(Map.of("a", 1), seen.copy());
    assertEquals(3, (int) seen.merge("a", 2, Integer::sum));
    assertEquals(3, d.get("a"));
    assertEquals(10, d.increment("n", 10));
    assertEquals(15, seen.increment("n", 5));
    d.put("i", 1);
    assertEquals(6, seen.increment("i", 5));
    assertEquals(Integer.valueOf(6), d.get("i")); // an Integer stays an Integer: no ClassCastException
    assertEquals(Set.of("a", "n", "i"), d.keySet());
    assertThrows(NullPointerException.class, () -> d.put(null, 1));
    assertTrue(d.equals(seen));
    assertEquals(d.hashCode(), seen.copy().hashCode());
  }

  @Test
  void list_followsListContract() {
    SharedList<String> l = m.list("shared-list");
    l.add("x");
    l.add("y");
    l.add(0, "w");
    assertEquals(List.of("w", "x", "y"), other.list("shared-list"));
    assertThrows(IndexOutOfBoundsException.class, () -> l.get(99));
    assertEquals(List.of("x"), l.subList(1, 2));
    l.add("a");
    l.add(1, "z");
    assertEquals(List.of("w", "z", "x", "y", "a"), l.copy());
    l.sort(null); // natural order, on the daemon: the other connection sees it
    assertEquals(List.of("a", "w", "x", "y", "z"), other.list("shared-list"));
    assertEquals("a", l.iterator().next());
  }

  @Test
  void counterValueNamespace() {
    SharedCounter c = m.counter("c");
    assertEquals(1, c.incrementAndGet());
    assertEquals(11, other.counter("c").addAndGet(10));
    SharedValue<String> v = m.value("v", "init");
    assertEquals("init", other.value("v", "ignored").get());
    assertTrue(v.compareAndSet("init", "next"));
    assertEquals("NEXT", v.updateAndGet(String::toUpperCase));
    SharedNamespace ns = m.namespace("ns");
    ns.set("x", 5);
    assertEquals(5, (int) other.namespace("ns").get("x"));
    assertThrows(NoSuchElementException.class, () -> ns.get("missing"));
  }

  @Test
  void nameReusedAsAnotherType_isIllegalState() {
    m.dict("taken");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.list("taken"));
    assertTrue(e.getMessage().contains("dict") && e.getMessage().contains("list"), e.getMessage());
  }

  @Test
  void managerOperations() {
    m.counter("to-delete").incrementAndGet();
    assertTrue(m.exists("to-delete"));
    assertTrue(m.names().contains("to-delete"));
    SharedCounter c = m.counter("to-delete");
    m.delete("to-delete");
    assertFalse(m.exists("to-delete"));
    IllegalStateException e = assertThrows(IllegalStateException.class, c::get);
    assertTrue(e.getMessage().contains("deleted"), e.getMessage());
    ServerInfo info = m.info();
    assertTrue(info.sessions().size() >= 2);
    assertTrue(info.callsServed() > 0);
    assertNull(m.dict("fresh").get("nothing"));
  }

  @Test
  void proxiesAreValues() {
    SharedCounter c = m.counter("ref-counter");
    SharedDict<String, Object> d = m.dict("refs-local");
    d.put("c", c);
    SharedCounter back = (SharedCounter) other.dict("refs-local").get("c");
    assertEquals(1, back.incrementAndGet());
    assertEquals(1, c.get());
  }
}
