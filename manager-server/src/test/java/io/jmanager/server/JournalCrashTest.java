package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
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
 * A journaled daemon SIGKILLed under four writer JVMs, then restarted on the same port: the writers
 * reconnect by themselves and write on, and every write a writer saw acknowledged, before the kill
 * and after, is there. Each writer appends a line to its own file after each acknowledged call (an
 * unbuffered write: in the page cache before the next call, so it outlives the writer), which is
 * exactly what was acknowledged; a call in flight at the kill fails as outcome-unknown, and says so
 * in the file. The log is compacted every few dozen kilobytes, so the kill finds snapshots and logs
 * of several generations, maybe a compaction under way. With {@code always}, the restarted daemon
 * is then killed once it has compacted what it replayed, and started again: the same state, from
 * its snapshot. A SIGKILL of the daemon loses nothing the OS was given: with {@code everysec} too
 * (only a crash of the machine could lose the last second, which this test cannot do).
 */
@Timeout(150)
class JournalCrashTest {
  static final int WRITERS = 4;
  static final int ACKS_BEFORE_KILL = 250;
  static final int ACKS_AFTER_RESTART = 100;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"always", "everysec"})
  void sigkillUnderFourWriters_theyReconnect_andEveryAcknowledgedWriteIsKept(String fsync) throws Exception {
    Path journal = tmp.resolve("journal");
    Path config = tmp.resolve("manager.properties");
    Files.writeString(config, "journal.dir=" + journal + "\njournal.fsync=" + fsync
        + "\njournal.compact.bytes=16k\nunix.path=off\n");
    List<WorkerProcess> writers = new ArrayList<>();
    ManagerProcess daemon = ManagerProcess.start("--config", config.toString());
    ManagerProcess restarted = null;
    try {
      try (Manager m = daemon.connect()) {
        for (int w = 0; w < WRITERS; w++) {
          writers.add(WorkerProcess.of(Writer.class, acks(w).toString(), String.valueOf(w), stop().toString())
              .manager(m).jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").redirectError(Redirect.DISCARD).start());
        }
      }
      awaitAcks(ACKS_BEFORE_KILL);
      // the kill finds snapshots and logs of several generations (compactions run in the background)
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> generations(journal) >= 3);
      daemon.kill();
      int generation = generations(journal);
      int[] atKill = new int[WRITERS];
      for (int w = 0; w < WRITERS; w++) {
        atKill[w] = lines(acks(w)).size();
      }
      restarted = daemon.restart(); // same port and key: the writers find it by themselves
      assertEquals(daemon.address().getPort(), restarted.address().getPort());
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        for (int w = 0; w < WRITERS; w++) {
          if (lines(acks(w)).size() < atKill[w] + ACKS_AFTER_RESTART) {
            return false;
          }
        }
        return true;
      });
      Files.createFile(stop());
      for (WorkerProcess w : writers) {
        assertTrue(w.join(Duration.ofSeconds(30)), "a writer did not stop");
        assertEquals(0, w.exitCode().getAsInt(), "a writer failed");
      }
      Map<String, Object> replayed;
      try (Manager m = restarted.connect()) {
        replayed = m.<String, Object>dict("acked").copy();
      }
      checkAcknowledged(replayed);
      if (!fsync.equals("always")) {
        return; // the snapshot below does not depend on the policy: once is enough
      }
      // the restarted daemon compacts what it replayed into a snapshot; killed after that, and
      // started again, it has the same state from the snapshot alone
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> generations(journal) > generation);
      restarted.kill();
      ManagerProcess again = restarted.restart();
      restarted = again;
      try (Manager m = again.connect()) {
        assertEquals(replayed, m.<String, Object>dict("acked").copy());
      }
    } finally {
      for (WorkerProcess w : writers) {
        if (!w.join(Duration.ofSeconds(10))) {
          w.kill();
        }
      }
      daemon.kill();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  private Path stop() {
    return tmp.resolve("stop");
  }

  private void awaitAcks(int n) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (int w = 0; w < WRITERS; w++) {
        if (lines(acks(w)).size() < n) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * Every acknowledged put is there; each writer's counter is what its last acknowledged increment
   * returned (the writers stopped after an acknowledged call; an increment lost in flight at the
   * kill may or may not have counted, and the later answers say which).
   */
  private void checkAcknowledged(Map<String, Object> state) throws IOException {
    for (int w = 0; w < WRITERS; w++) {
      long lastIncrement = 0;
      int unknown = 0;
      for (String line : lines(acks(w))) {
        String[] f = line.split(" ");
        if (f[0].equals("p")) {
          assertEquals(Integer.parseInt(f[1]), state.get("w" + w + ":" + f[1]), "writer " + w + "'s put " + f[1]);
        } else if (f[0].equals("i")) {
          long n = Long.parseLong(f[1]);
          assertTrue(n > lastIncrement, "writer " + w + "'s increments went back: " + n + " after " + lastIncrement);
          lastIncrement = n;
        } else {
          unknown++;
        }
      }
      assertTrue(unknown <= 2, "writer " + w + " lost " + unknown + " calls in flight at one kill");
      assertEquals(lastIncrement, (Long) state.get("n" + w), "writer " + w + "'s counter");
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
   * {@code ackFile writer stopFile}: puts {@code w<writer>:<i> -> i} and increments {@code
   * n<writer>} until the stop file exists, writing {@code p i} and {@code i n} to its file after
   * each answer, and {@code u ...} for a call lost in flight (its outcome unknown). Its manager
   * reconnects by itself when the daemon is back.
   */
  public static final class Writer {
    public static void main(String[] args) throws IOException {
      String id = args[1];
      Path stop = Path.of(args[2]);
      try (Manager m = Manager.fromEnvironment(); FileOutputStream out = new FileOutputStream(args[0], true)) {
        SharedDict<String, Object> d = m.dict("acked");
        for (int i = 0; !Files.exists(stop); i++) {
          try {
            d.put("w" + id + ":" + i, i);
            out.write(("p " + i + "\n").getBytes(StandardCharsets.UTF_8));
          } catch (ConnectionLostException inFlight) {
            out.write(("u p " + i + "\n").getBytes(StandardCharsets.UTF_8));
          }
          try {
            long n = d.increment("n" + id, 1);
            out.write(("i " + n + "\n").getBytes(StandardCharsets.UTF_8));
          } catch (ConnectionLostException inFlight) {
            out.write(("u i\n").getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
  }
}
