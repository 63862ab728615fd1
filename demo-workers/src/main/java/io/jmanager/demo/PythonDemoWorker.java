package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Java worker of the Python demo, {@code NAME INCREMENTS LOCK_WAIT_SECONDS}: what {@code
 * python/demo.py} does, in Java. Registers itself (language, pid) in the registry dict, adds 1 to
 * the registry's counter {@code INCREMENTS} times, each a read and a write under the shared lock,
 * and records how many it added. Exits 1 if the lock is not free within the wait.
 */
public final class PythonDemoWorker {
  private PythonDemoWorker() {}

  public static void main(String[] args) throws InterruptedException {
    String name = args[0];
    int increments = Integer.parseInt(args[1]);
    long lockWaitSeconds = Long.parseLong(args[2]);
    try (Manager m = Manager.fromEnvironment()) {
      SharedDict<String, Object> registry = m.dict(PythonDemo.REGISTRY);
      SharedLock lock = m.lock(PythonDemo.LOCK);
      Map<String, Object> me = new LinkedHashMap<>(); // Python sees the keys in this order
      me.put("lang", "java");
      me.put("pid", ProcessHandle.current().pid());
      me.put("adds", 0);
      registry.put(name, me);
      for (int i = 0; i < increments; i++) {
        if (!lock.tryLock(lockWaitSeconds, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              name + ": the lock '" + PythonDemo.LOCK + "' was not free within " + lockWaitSeconds + " s");
        }
        try {
          Object n = registry.get(PythonDemo.COUNTER); // a Long from Java, an Integer from Python
          registry.put(PythonDemo.COUNTER, (n == null ? 0 : ((Number) n).longValue()) + 1);
        } finally {
          lock.unlock();
        }
      }
      me.put("adds", increments);
      registry.put(name, me);
    }
  }
}
