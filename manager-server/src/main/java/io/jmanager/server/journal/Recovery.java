package io.jmanager.server.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Rebuilds the objects from the journal directory: the newest snapshot, then the logs from its
 * generation on, in order. An effect on an object that the snapshot captured at a later seq is
 * skipped (the snapshot holds it already); see {@link #applies}.
 */
final class Recovery {
  record Result(long lastSeq, int lastGeneration, long records) {}

  private final Path dir;
  private final RecordCodec codec;
  private final int maxRecordBytes;
  private final Store store;
  /** Object id -> the seq its snapshot was captured at. */
  private final Map<Integer, Long> captured = new HashMap<>();
  private long lastSeq;
  private long records;

  Recovery(Path dir, RecordCodec codec, int maxRecordBytes, Store store) {
    this.dir = dir;
    this.codec = codec;
    this.maxRecordBytes = maxRecordBytes;
    this.store = store;
  }

  Result run() {
    TreeSet<Integer> snapshots = generations(Journal.SNAPSHOT);
    TreeSet<Integer> logs = generations(Journal.LOG);
    int from = snapshots.isEmpty() ? 0 : snapshots.last();
    if (!snapshots.isEmpty()) {
      Path file = dir.resolve(Journal.SNAPSHOT + from);
      LogReader.read(file, codec, maxRecordBytes, r -> {
        if (r.op() != Op.META) {
          captured.put(r.objectId(), r.seq());
        }
        apply(file, r);
      });
    }
    for (int gen : logs.tailSet(from, true)) {
      Path file = dir.resolve(Journal.LOG + gen);
      LogReader.read(file, codec, maxRecordBytes, r -> {
        if (applies(r)) {
          apply(file, r);
        } else {
          lastSeq = Math.max(lastSeq, r.seq());
        }
      });
    }
    int last = Math.max(from, logs.isEmpty() ? 0 : logs.last());
    return new Result(lastSeq, last, records);
  }

  /**
   * Whether a log record still has to be applied. A deletion always does (an object deleted while
   * a compaction captured it must stay deleted; ids are never reused); a creation if the object
   * is not there yet; an effect if the snapshot captured its object before it.
   */
  private boolean applies(Record r) {
    if (r.op() == Op.DELETE) {
      return true;
    }
    if (r.op() == Op.CREATE) {
      return store.instance(r.objectId()) == null;
    }
    Long at = captured.get(r.objectId());
    return at == null || r.seq() > at;
  }

  private void apply(Path file, Record r) {
    lastSeq = Math.max(lastSeq, r.seq());
    records++;
    try {
      switch (r.op()) {
        case META -> {
          store.reserveIds((Integer) r.operand(0));
          lastSeq = Math.max(lastSeq, (Long) r.operand(1));
        }
        case CREATE -> {
          store.reserveIds(r.objectId() + 1);
          store.restore(r.objectId(), (String) r.operand(0), (String) r.operand(1), (Object[]) r.operand(2));
        }
        case DELETE -> store.delete(r.objectId());
        default -> {
          Object instance = store.instance(r.objectId());
          if (instance != null) {
            Effects.apply(instance, r);
          } // else an effect that raced the object's deletion: ids are never reused, it is moot
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("journal " + file + ": cannot replay record " + r + ": " + e.getMessage(), e);
    }
  }

  /** The generations of the files named {@code prefix + N} in the directory, ascending. */
  private TreeSet<Integer> generations(String prefix) {
    TreeSet<Integer> out = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.substring(prefix.length()).matches("\\d{1,9}"))
          .forEach(n -> out.add(Integer.parseInt(n.substring(prefix.length()))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list journal directory " + dir, e);
    }
    return out;
  }
}
