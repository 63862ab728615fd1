package io.jmanager.server.types;

import java.util.List;

/**
 * A type whose {@link HandsOver} methods hand items to callers, and which takes back the items a
 * caller never received.
 */
public interface ItemSource {
  /**
   * Puts {@code items} (handed out earlier, oldest first) back at the head, in that order, ahead of
   * everything that arrived since; a parked taker gets them first.
   *
   * @param items the items, oldest first
   */
  void giveBack(List<Object> items);
}
