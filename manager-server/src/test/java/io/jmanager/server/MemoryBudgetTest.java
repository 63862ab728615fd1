package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.DataLimitException;
import io.jmanager.client.Manager;
import io.jmanager.client.ServerInfo;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is a budget, not a cliff: against a daemon with a 128 MB heap, a client filling a dict
 * with 1 MiB values is refused with {@link DataLimitException} once the budget is spent; nothing
 * changes, a bystander's data stays readable, deletes work and make room again, and {@code status}
 * shows the figures. A daemon that still runs out of heap exits at once instead of limping on.
 */
class MemoryBudgetTest {
  private static final int MIB = 1 << 20;

  @Test
  void fillingTheHeap_isRefusedAtTheBudget_andEverythingElseGoesOn() {
    try (ManagerProcess daemon = ManagerProcess.start("--heap", "128m");
        Manager filler = daemon.connect();
        Manager bystander = daemon.connect()) {
      SharedDict<String, String> mine = bystander.dict("bystander");
      mine.put("kept", "safe");
      SharedDict<Integer, byte[]> big = filler.dict("big");
      DataLimitException refused = null;
      int stored = 0;
      for (int i = 0; i < 1_000 && refused == null; i++) {
        byte[] value = new byte[MIB];
        Arrays.fill(value, (byte) i);
        try {
          big.put(i, value);
          stored++;
        } catch (DataLimitException e) {
          refused = e;
        }
        if (i % 16 == 0) {
          assertEquals("safe", mine.get("kept"), "the bystander is served while the dict fills");
        }
      }
      assertNotNull(refused, "1 GB of values cannot fit a 128 MB heap");
      assertTrue(refused.getMessage().contains("dict 'big'") && refused.getMessage().contains("max.data.bytes"),
          refused.getMessage());
      assertTrue(stored > 20, "most of the budget is usable: " + stored + " MiB stored");
      assertEquals(stored, big.size(), "the refused put changed nothing");
      assertEquals(stored - 1, big.get(stored - 1)[0] & 0xff, "the last value stored is whole");
      assertEquals("safe", mine.get("kept"));

      ServerInfo info = bystander.info();
      assertTrue(info.dataBudget() < info.maxHeapBytes() && info.maxHeapBytes() <= 130L * MIB,
          "budget " + info.dataBudget() + " within the heap " + info.maxHeapBytes());
      assertTrue(info.dataBytes() > stored / 2 * (long) MIB, "status counts the data: " + info.dataBytes());

      for (int i = 0; i < stored / 2; i++) {
        big.remove(i); // deletes always work
      }
      big.put(-1, new byte[MIB]); // room again (after the daemon collected the garbage)
      assertEquals(stored - stored / 2 + 1, big.size());
      assertTrue(daemon.isAlive());
    }
  }

  @Test
  void aBudgetLargerThanTheHeap_endsInOutOfMemory_andTheDaemonExitsAtOnce(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("manager.properties");
    Files.writeString(config, "heap=96m\nmax.data.bytes=4g\nunix.path=off\n");
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString());
        Manager filler = daemon.connect()) {
      SharedList<byte[]> list = filler.list("hog");
      assertThrows(ConnectionLostException.class, () -> {
        for (int i = 0; i < 1_000; i++) {
          list.add(new byte[MIB]);
        }
      });
      // the OS reports the exit a moment before the JDK has reaped the process: wait for both
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !daemon.isAlive());
      assertFalse(daemon.isAlive(), "the daemon exited on OutOfMemoryError instead of limping on");
    }
  }
}
