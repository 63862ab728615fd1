package io.jmanager.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParentProcessTest {
  @Test
  void aStartReadAcrossABootTimeShiftOfOneSecond_isTheSameStart() {
    long start = 1_796_164_063_800L;
    assertTrue(ParentProcess.sameStart(start, start));
    assertTrue(ParentProcess.sameStart(start, start + 1_000), "the child read the boot time a second later");
    assertTrue(ParentProcess.sameStart(start, start - 1_000));
    assertFalse(ParentProcess.sameStart(start, start + 60_000), "a process started a minute later is another one");
  }
}
