package io.jmanager.demo;

import java.util.Map;

/**
 * The worked example of a user-registered type: the interface clients program against. Ship it to
 * the workers and to the daemon; the implementation only to the daemon.
 */
public interface Inventory {
  /** Adds {@code count} of {@code item} to the stock. */
  void restock(String item, int count);

  /** Takes {@code count} of {@code item} if that many are in stock; returns whether it did. */
  boolean reserve(String item, int count);

  /** A copy of the stock. */
  Map<String, Integer> stock();
}
