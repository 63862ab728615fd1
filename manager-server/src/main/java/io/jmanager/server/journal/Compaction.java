package io.jmanager.server.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compaction, on the journal's compaction thread, while the daemon serves: appends move to a
 * new log {@code log-N} at once; then each object is captured with the journal's last seq read
 * inside its own critical section (so no effect of it is half done; see {@link
 * Effects#capture}), and written to {@code snapshot-N.tmp} as records stamped with that seq; the file is forced and renamed to {@code
 * snapshot-N}; only then are older snapshots and logs deleted. Effects that race the capture of
 * an object land in {@code log-N} too; replay skips those at or below the object's capture seq.
 * A crash at any point leaves a journal that replays to the same state.
 */
final class Compaction {
  private static final Logger log = LoggerFactory.getLogger(Compaction.class);

  private final Journal journal;

  Compaction(Journal journal) {
    this.journal = journal;
  }

  /** Compacts; returns the size of the snapshot written. */
  long run() throws IOException {
    long start = System.nanoTime();
    Journal.Switch s = journal.switchLog();
    journal.awaitWritten(s.lastSeqBefore());
    s.oldLog().close(); // cut back to its records, and forced
    Path dir = journal.dir();
    Path tmp = dir.resolve(Journal.SNAPSHOT + s.newGeneration() + ".tmp");
    long objects = 0;
    RecordCodec codec = journal.codec();
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      Buffered w = new Buffered(out);
      for (Store.Live o : journal.store().live()) {
        Effects.capture(o, journal, (seq, effect) -> {
          Object[] operands = java.util.Arrays.copyOfRange(effect, 1, effect.length);
          int n = codec.encode(o.id(), (Op) effect[0], operands);
          codec.seal(seq);
          w.write(codec.frame(), n);
        });
        objects++;
      }
      int n = codec.encode(0, Op.META, journal.store().nextId(), journal.lastSeq());
      codec.seal(0);
      w.write(codec.frame(), n);
      w.flush();
      out.force(true);
    }
    Files.move(tmp, dir.resolve(Journal.SNAPSHOT + s.newGeneration()), StandardCopyOption.ATOMIC_MOVE);
    syncDir(dir);
    deleteOlderThan(dir, s.newGeneration());
    long bytes = Files.size(dir.resolve(Journal.SNAPSHOT + s.newGeneration()));
    log.info("journal {}: compacted {} objects into {} in {} ms", dir, objects, Journal.SNAPSHOT + s.newGeneration(),
        (System.nanoTime() - start) / 1_000_000);
    return bytes;
  }

  private static void deleteOlderThan(Path dir, int generation) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        for (String prefix : List.of(Journal.LOG, Journal.SNAPSHOT)) {
          if (n.startsWith(prefix)) {
            String rest = n.substring(prefix.length()).replace(".tmp", "");
            if (rest.matches("\\d{1,9}") && Integer.parseInt(rest) < generation) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
    }
  }

  /** Forces the directory entry of a new or renamed file (where the platform allows). */
  static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory: the rename is as durable as they make it
    }
  }

  /** Writes through a 64 KiB buffer. */
  private static final class Buffered {
    private final FileChannel out;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    Buffered(FileChannel out) {
      this.out = out;
    }

    void write(byte[] b, int n) {
      if (n > buf.remaining()) {
        flush();
      }
      if (n > buf.capacity()) {
        LogFiles.writeFully(out, ByteBuffer.wrap(b, 0, n));
      } else {
        buf.put(b, 0, n);
      }
    }

    void flush() {
      buf.flip();
      LogFiles.writeFully(out, buf);
      buf.clear();
    }
  }
}
