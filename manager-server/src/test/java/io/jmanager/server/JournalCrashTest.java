package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A journaled daemon SIGKILLed under four writer JVMs, then restarted on the same port: every
 * write a writer saw acknowledged is there. Each writer appends a line to its own file after each
 * acknowledged call (an unbuffered write: in the page cache before the next call, so it outlives
 * the writer), which is exactly what was acknowledged. The log is compacted every few dozen
 * kilobytes, so the kill finds snapshots and logs of several generations, maybe a compaction
 * under way. With {@code always}, the restarted daemon is then killed once it has compacted what
 * it replayed, and started again: the same state, from its snapshot. A SIGKILL of the daemon loses nothing the OS was given: with {@code everysec} too
 * (only a crash of the machine could lose the last second, which this test cannot do).
 */
@Timeout(120)
class JournalCrashTest {
  static final int WRITERS = 4;
  static final int ACKS_BEFORE_KILL = 250;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"always", "everysec"})
  void sigkillUnderFourWriters_keepsEveryAcknowledgedWrite(String fsync) throws Exception {
    Path journal = tmp.resolve("journal");
    Path config = tmp.resolve("manager.properties");
    Files.writeString(config, "journal.dir=" + journal + "\njournal.fsync=" + fsync
        + "\njournal.compact.bytes=16k\nunix.path=off\n");
    List<WorkerProcess> writers = new ArrayList<>();
    int port;
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString())) {
      port = daemon.address().getPort();
      try (Manager m = daemon.connect()) {
        for (int w = 0; w < WRITERS; w++) {
          writers.add(WorkerProcess.of(Writer.class, acks(w).toString(), String.valueOf(w)).manager(m)
              .jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").redirectError(Redirect.DISCARD).start());
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
          for (int w = 0; w < WRITERS; w++) {
            if (lines(acks(w)).size() < ACKS_BEFORE_KILL) {
              return false;
            }
          }
          return true;
        });
        daemon.kill();
      }
    } finally {
      for (WorkerProcess w : writers) {
        if (!w.join(Duration.ofSeconds(10))) {
          w.kill();
        }
      }
    }
    int generation = generations(journal);
    assertTrue(generation >= 3, "compactions ran before the kill");
    Map<String, Object> replayed;
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString(), "--port", String.valueOf(port));
        Manager m = daemon.connect()) {
      assertEquals(port, daemon.address().getPort());
      replayed = m.<String, Object>dict("acked").copy();
      checkAcknowledged(replayed);
      if (!fsync.equals("always")) {
        return; // the snapshot below does not depend on the policy: once is enough
      }
      // the restarted daemon compacts what it replayed into a snapshot; killed after that, and
      // started again, it has the same state from the snapshot alone
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> generations(journal) > generation);
      daemon.kill();
    }
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString(), "--port", String.valueOf(port));
        Manager m = daemon.connect()) {
      assertEquals(replayed, m.<String, Object>dict("acked").copy());
    }
  }

  private void checkAcknowledged(Map<String, Object> state) throws IOException {
    for (int w = 0; w < WRITERS; w++) {
      long lastIncrement = 0;
      for (String line : lines(acks(w))) {
        String[] f = line.split(" ");
        if (f[0].equals("p")) {
          assertEquals(Integer.parseInt(f[1]), state.get("w" + w + ":" + f[1]), "writer " + w + "'s put " + f[1]);
        } else {
          lastIncrement = Long.parseLong(f[1]);
        }
      }
      long n = (Long) state.get("n" + w);
      // the call in flight at the kill may have been applied without its answer arriving
      assertTrue(n == lastIncrement || n == lastIncrement + 1, "writer " + w + ": " + n + " after " + lastIncrement);
    }
  }

  private Path acks(int writer) {
    return tmp.resolve("acks-" + writer);
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String l : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }

  /** The highest snapshot generation in {@code dir}. */
  private static int generations(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("snapshot-\\d+"))
          .mapToInt(n -> Integer.parseInt(n.substring("snapshot-".length()))).max().orElse(0);
    }
  }

  /**
   * {@code ackFile writer}: puts {@code w<writer>:<i> -> i} and increments {@code n<writer>}
   * until its daemon goes, writing {@code p i} and {@code i n} to its file after each answer.
   */
  public static final class Writer {
    public static void main(String[] args) throws IOException {
      String id = args[1];
      try (Manager m = Manager.fromEnvironment(); FileOutputStream out = new FileOutputStream(args[0], true)) {
        SharedDict<String, Object> d = m.dict("acked");
        for (int i = 0; ; i++) {
          d.put("w" + id + ":" + i, i);
          out.write(("p " + i + "\n").getBytes(StandardCharsets.UTF_8));
          long n = d.increment("n" + id, 1);
          out.write(("i " + n + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }
}
