package io.jmanager.demo;

import java.util.Map;
import java.util.TreeMap;

/**
 * The daemon-side implementation of {@link Inventory}. Plain Java: the daemon runs one call at a
 * time per object, so no locking is needed, and check-then-act methods like {@link #reserve} are
 * atomic for every client.
 */
public final class InventoryImpl implements Inventory {
  private final Map<String, Integer> stock = new TreeMap<>();

  @Override
  public void restock(String item, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("restock count must be positive, got " + count);
    }
    stock.merge(item, count, Integer::sum);
  }

  @Override
  public boolean reserve(String item, int count) {
    int have = stock.getOrDefault(item, 0);
    if (have < count) {
      return false;
    }
    stock.put(item, have - count);
    return true;
  }

  @Override
  public Map<String, Integer> stock() {
    return new TreeMap<>(stock);
  }
}
