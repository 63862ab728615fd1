package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every method of a durable built-in type either reads or has its effects journaled: a method
 * added to a type's interface fails here until the journal's table ({@code Effects}) says which.
 */
class JournalEffectsTableTest {
  /** The methods whose effects the dispatcher records, per type (queues record their own). */
  static final Map<String, String> RECORDED = Map.of(
      "dict", "clear/0 increment/2 put/2 putAll/1 putIfAbsent/2 remove/1 remove/2 replace/2 replace/3",
      "list", "add/1 add/2 addAll/1 addAll/2 clear/0 remove/1 removeAll/1 retainAll/1 set/2 sort/1",
      "value", "compareAndSet/2 getAndSet/1 set/1",
      "counter", "addAndGet/1 compareAndSet/2 decrementAndGet/0 getAndAdd/1 incrementAndGet/0 set/1",
      "long-array", "addAndGet/2 set/2",
      "double-array", "addAndGet/2 set/2",
      "namespace", "delete/1 set/2",
      "cache", "invalidate/1 invalidateAll/0 put/2 putAll/1 putIfAbsent/2",
      "queue", "",
      "joinable-queue", "");

  /** The methods that only read, per type. */
  static final Map<String, String> READ_ONLY = Map.of(
      "dict", "containsKey/1 containsValue/1 copy/0 entrySet/0 equals/1 get/1 getAll/1 hashCode/0 isEmpty/0 keySet/0"
          + " size/0 values/0",
      "list", "contains/1 containsAll/1 copy/0 equals/1 get/1 hashCode/0 indexOf/1 isEmpty/0 lastIndexOf/1 size/0"
          + " subList/2",
      "value", "get/0",
      "counter", "get/0",
      "long-array", "get/1 length/0 toArray/0",
      "double-array", "get/1 length/0 toArray/0",
      "namespace", "asMap/0 attributes/0 get/1",
      "cache", "asMap/0 estimatedSize/0 getAllPresent/1 getIfPresent/1 stats/0");

  private static TreeSet<String> names(String spaced) {
    TreeSet<String> out = new TreeSet<>();
    for (String n : spaced.split(" ")) {
      if (!n.isEmpty()) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void everyMethodOfADurableType_isRecordedOrReads() {
    Types types = Types.builtins();
    RECORDED.forEach((typeid, recorded) -> {
      TypeSpec spec = types.get(typeid);
      TreeSet<String> withRecorder = new TreeSet<>();
      TreeSet<String> without = new TreeSet<>();
      for (int i = 0; i < spec.table().size(); i++) {
        Method m = spec.table().methods().get(i);
        (spec.recorder(i) != null ? withRecorder : without).add(m.getName() + "/" + m.getParameterCount());
      }
      assertEquals(names(recorded), withRecorder, typeid + ": recorded methods");
      if (READ_ONLY.containsKey(typeid)) {
        assertEquals(names(READ_ONLY.get(typeid)), without, typeid + ": methods that only read");
      }
    });
  }
}
