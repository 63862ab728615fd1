package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.server.journal.JournalCorruptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A damaged journal: a torn last record is dropped; a damaged record in the middle stops the start. */
@Timeout(60)
class JournalDamageTest {
  @TempDir Path dir;

  private TestDaemon daemon() {
    return new TestDaemon(b -> b.journal(dir, "always"));
  }

  /**
   * The creation of dict d and ten puts, k0..k9: eleven records in the newest log (the start's
   * compaction is done first).
   */
  private Path tenPuts() {
    try (TestDaemon d = daemon()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> d.server.journal().compactions() > 0);
      SharedDict<String, Integer> dict = d.connect().dict("d");
      for (int i = 0; i < 10; i++) {
        dict.put("k" + i, i);
      }
    }
    return newestLog();
  }

  @Test
  void aTornLastRecord_isDropped() throws IOException {
    Path log = tenPuts();
    Files.write(log, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 5}, StandardOpenOption.APPEND); // a header, half a body
    try (TestDaemon d = daemon()) {
      assertEquals(10, d.connect().dict("d").size());
    }
  }

  @Test
  void aClosedLog_endsAtItsLastRecord() throws IOException {
    Path log = tenPuts();
    List<Long> offsets = offsets(log);
    assertEquals(11, offsets.size(), "no zeros written ahead are left in a log the daemon closed");
    assertEquals(Files.size(log), offsets.get(10) + 8 + ByteBuffer.wrap(Files.readAllBytes(log)).getInt(offsets.get(10).intValue()));
  }

  @Test
  void zerosAfterTheLastRecord_areTheLogsEnd_quietly() throws IOException {
    Path log = tenPuts();
    Files.write(log, new byte[3 << 20], StandardOpenOption.APPEND); // as a killed daemon leaves it
    List<String> warnings = warnings(() -> {
      try (TestDaemon d = daemon()) {
        assertEquals(10, d.connect().dict("d").size());
      }
    });
    assertTrue(warnings.isEmpty(), String.valueOf(warnings));
  }

  @Test
  void aRecordWrittenInPartOverTheZeros_isATornLastRecord() throws IOException {
    Path log = tenPuts();
    byte[] tail = new byte[1 << 20];
    System.arraycopy(new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 5, 6, 7}, 0, tail, 0, 11); // a header, part of a body
    Files.write(log, tail, StandardOpenOption.APPEND);
    List<String> warnings = warnings(() -> {
      try (TestDaemon d = daemon()) {
        assertEquals(10, d.connect().dict("d").size());
      }
    });
    assertTrue(warnings.stream().anyMatch(w -> w.contains("dropping the torn last record")), String.valueOf(warnings));
  }

  /** The WARN lines of the journal's reader while {@code body} runs. */
  private static List<String> warnings(Runnable body) {
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger("io.jmanager.server.journal.LogReader");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      body.run();
    } finally {
      log.detachAppender(lines);
    }
    return lines.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aLastRecordFailingItsChecksum_isDropped() throws IOException {
    Path log = tenPuts();
    List<Long> offsets = offsets(log);
    flip(log, Files.size(log) - 1); // inside the last record, which nothing follows
    try (TestDaemon d = daemon()) {
      Map<String, Object> state = d.connect().<String, Object>dict("d").copy();
      assertEquals(9, state.size());
      assertTrue(!state.containsKey("k9"));
    }
    assertEquals(11, offsets.size());
  }

  @Test
  void aDamagedRecordInTheMiddle_stopsTheStart_untilTruncatedWhereTheMessageSays() throws IOException {
    Path log = tenPuts();
    long third = offsets(log).get(3); // the put of k2
    flip(log, third + 20);
    JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> daemon().close());
    assertEquals(log, e.file());
    assertEquals(third, e.offset());
    assertTrue(e.getMessage().contains("bin/jmanager journal truncate --file " + log + " --at " + third), e.getMessage());
    int code = Main.commandLine(new Main()).execute("journal", "truncate", "--file", log.toString(), "--at",
        String.valueOf(e.offset()));
    assertEquals(0, code);
    try (TestDaemon d = daemon()) {
      Manager m = d.connect();
      assertEquals(Map.of("k0", 0, "k1", 1), m.dict("d").copy());
    }
  }

  private Path newestLog() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("log-\\d+"))
          .max((a, b) -> Integer.compare(gen(a), gen(b))).orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int gen(Path p) {
    return Integer.parseInt(p.getFileName().toString().substring("log-".length()));
  }

  /** The byte offset of each record (a 4-byte length, a 4-byte checksum, then that many bytes). */
  private static List<Long> offsets(Path log) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(log));
    List<Long> out = new ArrayList<>();
    while (b.remaining() >= 8) {
      out.add((long) b.position());
      int len = b.getInt();
      b.position(b.position() + 4 + len);
    }
    return out;
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[(int) offset] ^= 0x5a;
    Files.write(file, all);
  }
}
