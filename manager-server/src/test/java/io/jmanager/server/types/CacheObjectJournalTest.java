package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A cache entry as the journal records and restores it: with what is left of its lifetime. */
class CacheObjectJournalTest {
  static final String SPEC = "maximumSize=100,expireAfterWrite=1h";

  @Test
  void anEntry_isRecordedWithTheTimeItExpires() {
    CacheObject c = new CacheObject(SPEC);
    long before = System.currentTimeMillis();
    c.put("k", "v");
    Object[] e = c.durableEntry("k");
    assertEquals("v", e[0]);
    long expiresAt = (Long) e[1];
    assertTrue(expiresAt >= before + 3_599_000 && expiresAt <= System.currentTimeMillis() + 3_600_000, "" + expiresAt);
  }

  @Test
  void aRestoredEntry_keepsWhatWasLeftOfItsLifetime_notAFreshOne() {
    CacheObject c = new CacheObject(SPEC);
    long expiresAt = System.currentTimeMillis() + 60_000;
    c.restore("k", "v", expiresAt);
    assertEquals("v", c.getIfPresent("k"));
    long restored = (Long) c.durableEntry("k")[1];
    assertTrue(Math.abs(restored - expiresAt) < 2_000, restored + " vs " + expiresAt);
  }

  @Test
  void anEntryExpiredMeanwhile_isNotRestored() {
    CacheObject c = new CacheObject(SPEC);
    c.restore("k", "v", System.currentTimeMillis() - 1);
    assertNull(c.getIfPresent("k"));
  }

  @Test
  void anEntryOfACacheWithoutLifetimes_isRestoredAsIs() {
    CacheObject c = new CacheObject("maximumSize=100");
    c.put("k", "v");
    assertEquals(-1L, c.durableEntry("k")[1]);
    CacheObject replica = new CacheObject("maximumSize=100");
    replica.restore("k", "v", -1);
    assertEquals("v", replica.getIfPresent("k"));
  }
}
