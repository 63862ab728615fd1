package io.jmanager.client.internal;

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

  public static final Map<String, Class<?>> INTERFACES =
      Map.of(
          ManagerService.TYPEID, ManagerService.class,
          "dict", SharedDict.class,
          "list", SharedList.class,
          "counter", SharedCounter.class,
          "value", SharedValue.class,
          "namespace", SharedNamespace.class,
          "queue", io.jmanager.client.SharedQueue.class,
          "joinable-queue", io.jmanager.client.JoinableQueue.class);

  /**
   * API value classes both sides register with Kryo (after the wire's own), in this order: append
   * only, never reorder.
   */
  public static final List<Class<?>> API_VALUE_TYPES =
      List.of(ServerInfo.class, ServerInfo.ObjectInfo.class, ServerInfo.SessionInfo.class);
}
