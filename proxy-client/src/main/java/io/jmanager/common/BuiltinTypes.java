package io.jmanager.common;

import io.jmanager.client.ServerInfo;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedNamespace;
import io.jmanager.client.SharedValue;
import java.util.List;
import java.util.Map;

/** The client half of the type table: each built-in typeid and the interface its proxies implement. */
public final class BuiltinTypes {
  private BuiltinTypes() {}

  /**
   * Each built-in typeid, the daemon's own {@value ManagerService#TYPEID} included, and its proxy
   * interface.
   */
  public static final Map<String, Class<?>> INTERFACES =
      Map.ofEntries(
          Map.entry(ManagerService.TYPEID, ManagerService.class),
          Map.entry("dict", SharedDict.class),
          Map.entry("list", SharedList.class),
          Map.entry("counter", SharedCounter.class),
          Map.entry("value", SharedValue.class),
          Map.entry("namespace", SharedNamespace.class),
          Map.entry("queue", io.jmanager.client.SharedQueue.class),
          Map.entry("joinable-queue", io.jmanager.client.JoinableQueue.class),
          Map.entry("cache", io.jmanager.client.SharedCache.class),
          Map.entry("long-array", io.jmanager.client.SharedLongArray.class),
          Map.entry("double-array", io.jmanager.client.SharedDoubleArray.class),
          Map.entry("pipe", io.jmanager.client.SharedPipe.class),
          Map.entry("lock", io.jmanager.client.SharedLock.class),
          Map.entry("rlock", io.jmanager.client.SharedLock.class),
          Map.entry("semaphore", io.jmanager.client.SharedSemaphore.class),
          Map.entry("bounded-semaphore", io.jmanager.client.SharedSemaphore.class),
          Map.entry("condition", io.jmanager.client.SharedCondition.class),
          Map.entry("event", io.jmanager.client.SharedEvent.class),
          Map.entry("barrier", io.jmanager.client.SharedBarrier.class));

  /**
   * API value classes both sides register with Kryo (after the wire's own), in this order: append
   * only, never reorder.
   */
  public static final List<Class<?>> API_VALUE_TYPES =
      List.of(ServerInfo.class, ServerInfo.ObjectInfo.class, ServerInfo.SessionInfo.class,
          io.jmanager.client.SharedCache.Stats.class, io.jmanager.client.SharedPipe.Side.class,
          io.jmanager.client.PythonTuple.class, io.jmanager.client.PythonFrozenSet.class);
}
