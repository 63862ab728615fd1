package io.jmanager.server.journal;

import com.esotericsoftware.kryo.Kryo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's durability journal: every effect of an acknowledged mutation, appended before the
 * call's reply is written, replayed at start ({@link Recovery}), compacted in the background
 * ({@link Compaction}).
 *
 * <p><b>Order.</b> A record is appended by the thread that made the effect, inside the critical
 * section that made it: the object's own monitor, which every journaled mutation of a built-in
 * object holds (the dispatcher takes it around the call for the types whose effects it derives,
 * {@link Effects}; queues append from inside their own synchronized methods). The seq is taken
 * under the journal's lock within that section, so two effects on one object are in the journal
 * in the order they happened, whichever event loops or executors ran them; effects on different
 * objects commute. This costs an uncontended monitor per mutation of a dict (a
 * {@code ConcurrentHashMap} that otherwise takes no object-wide lock); taking the seq inside
 * the map's per-key section instead would not order a {@code clear()} with a racing {@code
 * put} on another key.
 *
 * <p><b>Fsync.</b> Records are gathered in a buffer under the journal's lock (a copy: the lock is
 * held briefly). With {@link Fsync#EVERYSEC} the thread that appended writes what is gathered to
 * the file (the OS's page cache) before its reply, after leaving the object's monitor, in one
 * write for every thread that appended meanwhile ({@link #beforeReply}); a journal thread forces
 * the file to disk once a second. With
 * {@link Fsync#ALWAYS} records gather in a buffer; the journal thread writes everything gathered
 * since its last turn and forces it in one fsync (group commit), then hands back the replies that
 * waited for it ({@link #afterDurable}). No event loop ever waits for the disk.
 *
 * <p>Files in {@code journal.dir}: {@code log-N} (records, appended) and {@code snapshot-N} (the
 * state of every object when {@code log-N} was started, possibly with a little of {@code log-N}:
 * each object's records carry the seq at which it was captured, and replay skips that object's
 * older records). Thread-safe.
 */
public final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  static final String LOG = "log-";
  static final String SNAPSHOT = "snapshot-";

  /** When an appended record is forced to disk ({@code journal.fsync}). */
  public enum Fsync {
    /** Before the reply (group commit): no acknowledged write is ever lost. */
    ALWAYS,
    /** Once a second: a crash of the machine loses at most the last second; a crash of the daemon nothing. */
    EVERYSEC;

    /**
     * {@return the policy {@code v} names, as {@code journal.fsync} spells it}
     *
     * @param v {@code always} or {@code everysec}, in any case
     * @throws IllegalArgumentException if {@code v} is neither
     */
    public static Fsync parse(String v) {
      return switch (v.trim().toLowerCase()) {
        case "always" -> ALWAYS;
        case "everysec" -> EVERYSEC;
        default -> throw new IllegalArgumentException("journal.fsync must be always or everysec, got '" + v + "'");
      };
    }
  }

  /** A reply waiting for the fsync of the record at {@code seq}. */
  private record Held(long seq, Runnable send) {}

  /** One thread's codec and the seq of the last record it appended during the current call. */
  private static final class Local {
    final RecordCodec codec;
    long seq;

    Local(RecordCodec codec) {
      this.codec = codec;
    }
  }

  private final Path dir;
  private final Fsync fsync;
  private final long compactBytes;
  private final int maxRecordBytes;
  private final Store store;
  private final ThreadLocal<Local> local;
  private final Object lock = new Object();
  private final Thread syncer;
  private final ExecutorService compactor;
  // guarded by lock
  private LogFile current;
  private int generation;
  private long currentBytes;
  private long lastSeq;
  private ByteArray gathered = new ByteArray();
  private ByteArray writing = new ByteArray();
  private final List<Held> held = new ArrayList<>();
  private boolean compacting;
  private boolean closed;
  /** A compaction starts when the log passes this: {@code journal.compact.bytes}, or the last snapshot's size if larger. */
  private long compactAt;
  /** Held while this daemon uses the directory: a second daemon on it would interleave two logs. */
  private FileChannel dirLock;
  private volatile long syncedSeq;
  /** EVERYSEC: records up to this seq are written to the OS; the write lock orders the writers. */
  private volatile long writtenSeq;
  private final Object writeLock = new Object();
  private volatile long compactions;

  private Journal(JournalSettings settings, Supplier<Kryo> kryos, int maxRecordBytes, int maxDepth, Store store) {
    this.dir = settings.dir();
    this.fsync = settings.fsync();
    this.compactBytes = settings.compactBytes();
    this.compactAt = compactBytes;
    this.maxRecordBytes = maxRecordBytes;
    this.store = store;
    this.local = ThreadLocal.withInitial(() -> new Local(new RecordCodec(kryos, maxRecordBytes, maxDepth)));
    this.syncer = new Thread(fsync == Fsync.ALWAYS ? this::groupCommits : this::everySecond, "jmanager-journal");
    this.syncer.setDaemon(true);
    this.compactor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "jmanager-journal-compaction");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Replays the journal in {@code settings.dir()} into {@code store}, then opens a new log for
   * appending. Call {@link #compactSoon()} once the store is serving.
   *
   * @param settings the directory, fsync policy and compaction size
   * @param kryos makes the record codec's {@link Kryo}, one per appending thread
   * @param maxFrameBytes the daemon's {@code max.frame.bytes}: a record holds at most one call's
   *     values
   * @param maxDepth the daemon's {@code max.depth}, checked on the values read back
   * @param store the registry to replay into
   * @return the open journal, its directory locked to this daemon
   * @throws JournalCorruptException if a record in the middle of a file is damaged
   * @throws IllegalStateException if a record holds a class the allowlist refuses, or names an
   *     object or type the daemon does not know, or another daemon uses the directory
   */
  public static Journal open(
      JournalSettings settings, Supplier<Kryo> kryos, int maxFrameBytes, int maxDepth, Store store) {
    int maxRecordBytes = maxFrameBytes + 1024; // an effect carries at most one call's values
    Journal j = new Journal(settings, kryos, maxRecordBytes, maxDepth, store);
    j.lockDir();
    Recovery.Result r;
    try {
      r = new Recovery(settings.dir(), j.local.get().codec, maxRecordBytes, store).run();
    } catch (RuntimeException e) {
      j.unlockDir();
      throw e;
    }
    synchronized (j.lock) {
      j.lastSeq = r.lastSeq();
      j.generation = r.lastGeneration() + 1;
      j.current = j.openLog(j.generation);
    }
    j.syncedSeq = r.lastSeq();
    j.syncer.start();
    log.info("journal {}: replayed {} records ({} objects), fsync {}", settings.dir(), r.records(),
        store.live().size(), settings.fsync().name().toLowerCase());
    return j;
  }

  // ---- appending (any thread, inside the effect's critical section)

  /**
   * Records that object {@code id} was created (under the registry's lock).
   *
   * @param id the object's id
   * @param typeid its type id
   * @param name its name
   * @param params the parameters it was created with
   * @throws IllegalStateException if the journal is closed
   */
  public void created(int id, String typeid, String name, Object[] params) {
    append(id, Op.CREATE, typeid, name, params);
  }

  /**
   * Records that object {@code id} was deleted (under the registry's lock).
   *
   * @param id the object's id
   * @throws IllegalStateException if the journal is closed
   */
  public void deleted(int id) {
    append(id, Op.DELETE);
  }

  /** Appends one effect on object {@code objectId}; its seq becomes what this thread's {@link #beforeReply()} waits for. */
  void append(int objectId, Op op, Object... operands) {
    Local l = local.get();
    RecordCodec codec = l.codec;
    int n = codec.encode(objectId, op, operands);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the journal is closed");
      }
      long seq = ++lastSeq;
      codec.seal(seq);
      if (fsync == Fsync.ALWAYS && gathered.size() == 0) {
        lock.notifyAll();
      }
      gathered.write(codec.frame(), n);
      currentBytes += n;
      if (currentBytes > compactAt && !compacting) {
        compacting = true;
        compactor.execute(this::compactNow);
      }
      l.seq = seq;
    }
  }

  /**
   * With {@link Fsync#EVERYSEC}: writes to the OS everything appended up to this thread's last
   * record, unless another thread has already (one write for the records of all threads that
   * appended meanwhile). Called after the call's critical section and before its reply, so the
   * object's monitor is not held across the write. A no-op with {@link Fsync#ALWAYS}, whose
   * journal thread writes.
   */
  public void writeOut() {
    long mine = local.get().seq;
    if (fsync == Fsync.EVERYSEC && mine > writtenSeq) {
      synchronized (writeLock) {
        if (mine > writtenSeq) {
          writeGathered();
        }
      }
    }
  }

  /** What was gathered, taken to be written to {@code log}: the records up to seq {@code upTo}. */
  private record Batch(ByteArray bytes, LogFile log, long upTo) {}

  /** Takes what is gathered (holding {@code lock}): the gathered buffer and the spare swap. */
  private Batch takeGathered() {
    ByteArray batch = gathered;
    gathered = writing;
    writing = batch;
    return new Batch(batch, current, lastSeq);
  }

  /** Writes what is gathered to the current log (under the write lock). */
  private void writeGathered() {
    Batch batch;
    synchronized (lock) {
      batch = takeGathered();
    }
    try {
      batch.log().append(ByteBuffer.wrap(batch.bytes().bytes(), 0, batch.bytes().size()));
    } finally {
      batch.bytes().reset();
    }
    writtenSeq = batch.upTo();
  }

  /** Starts a call's bookkeeping on this thread: no record appended yet. */
  public void beginCall() {
    local.get().seq = 0;
  }

  /**
   * Call before writing a reply on this thread (outside any object's monitor where possible):
   * returns the seq the reply must wait for ({@link #afterDurable}), the last record this thread
   * appended since {@link #beginCall()}, or 0 if it may go at once. With {@link Fsync#EVERYSEC}
   * this writes that record to the OS first ({@link #writeOut()}) and returns 0.
   *
   * @return the seq to pass to {@link #afterDurable}, or 0 if the reply may go at once
   */
  public long beforeReply() {
    if (fsync == Fsync.EVERYSEC) {
      writeOut();
      return 0;
    }
    long seq = local.get().seq;
    return seq > syncedSeq ? seq : 0;
  }

  /**
   * Runs {@code send} once the record at {@code seq} is on disk (at once if it is already, or the
   * journal is closed), on the journal thread or this one.
   *
   * @param seq what {@link #beforeReply()} returned
   * @param send writes the reply; it must not block
   */
  public void afterDurable(long seq, Runnable send) {
    synchronized (lock) {
      if (seq > syncedSeq && !closed) {
        held.add(new Held(seq, send));
        return;
      }
    }
    send.run();
  }

  // ---- the journal thread

  private void groupCommits() {
    while (true) {
      Batch taken;
      synchronized (lock) {
        while (gathered.size() == 0 && !closed) {
          waitOn(lock);
        }
        if (gathered.size() == 0) {
          return;
        }
        taken = takeGathered();
      }
      ByteArray batch = taken.bytes();
      LogFile ch = taken.log();
      long upTo = taken.upTo();
      try {
        ch.append(ByteBuffer.wrap(batch.bytes(), 0, batch.size()));
        ch.force();
      } catch (RuntimeException | IOException e) {
        log.error("journal {}: cannot write or sync: replies wait until it can", dir, e);
        sleepQuietly(1000);
        synchronized (lock) {
          gathered.prepend(batch); // tried again with what came since
        }
        continue;
      } finally {
        batch.reset();
      }
      synced(upTo);
    }
  }

  private void everySecond() {
    while (true) {
      LogFile ch;
      long upTo;
      synchronized (lock) {
        if (!closed) {
          waitOn(lock, 1000);
        }
        if (closed) {
          return;
        }
      }
      try {
        synchronized (writeLock) {
          writeGathered(); // what an appender whose call then failed left behind
          upTo = writtenSeq;
        }
        synchronized (lock) {
          ch = current;
        }
        ch.force();
        synced(upTo);
      } catch (java.nio.channels.ClosedChannelException e) {
        // a compaction switched logs meanwhile and forced the old one itself
      } catch (IOException | RuntimeException e) {
        log.error("journal {}: cannot sync", dir, e);
      }
    }
  }

  /** Everything up to {@code seq} is on disk: sends the replies that waited for it. */
  private void synced(long seq) {
    List<Held> ready = new ArrayList<>();
    synchronized (lock) {
      syncedSeq = Math.max(syncedSeq, seq);
      held.removeIf(h -> h.seq() <= seq && ready.add(h));
      lock.notifyAll();
    }
    for (Held h : ready) {
      h.send().run();
    }
  }

  // ---- compaction

  /** Compacts in the background (after replay; later whenever the log passes {@code journal.compact.bytes}). */
  public void compactSoon() {
    synchronized (lock) {
      if (compacting || closed) {
        return;
      }
      compacting = true;
    }
    compactor.execute(this::compactNow);
  }

  private void compactNow() {
    try {
      long snapshotBytes = new Compaction(this).run();
      synchronized (lock) {
        compactAt = Math.max(compactBytes, snapshotBytes); // rewriting a big snapshot for a small log is no gain
      }
      compactions++;
    } catch (RuntimeException | IOException e) {
      log.error("journal {}: compaction failed (the log keeps growing; tried again at the next threshold)", dir, e);
    } finally {
      synchronized (lock) {
        compacting = false;
        lock.notifyAll();
      }
    }
  }

  /** Starts log {@code generation + 1}; returns the old log's channel and the last seq written to it. */
  Switch switchLog() throws IOException {
    synchronized (lock) {
      LogFile old = current;
      current = openLog(generation + 1);
      generation++;
      currentBytes = 0;
      return new Switch(old, generation, lastSeq);
    }
  }

  record Switch(LogFile oldLog, int newGeneration, long lastSeqBefore) {}

  /** Waits until every record up to {@code seq} has been written to its file. */
  void awaitWritten(long seq) {
    if (fsync == Fsync.EVERYSEC) {
      synchronized (writeLock) {
        if (writtenSeq < seq) {
          writeGathered();
        }
      }
      return;
    }
    synchronized (lock) {
      while (syncedSeq < seq && !closed) {
        waitOn(lock);
      }
    }
  }

  /** The seq of the last record appended: read inside an object's critical section, it bounds that object's records. */
  long lastSeq() {
    synchronized (lock) {
      return lastSeq;
    }
  }

  Path dir() {
    return dir;
  }

  Store store() {
    return store;
  }

  RecordCodec codec() {
    return local.get().codec;
  }

  int maxRecordBytes() {
    return maxRecordBytes;
  }

  /** {@return whether {@link #afterDurable} holds replies: true with fsync {@code always}} */
  public boolean holdsReplies() {
    return fsync == Fsync.ALWAYS;
  }

  /** {@return how many compactions have finished since the start} */
  public long compactions() {
    return compactions;
  }

  /**
   * {@return the journal's state in words, e.g. {@code everysec, /dir/log-3 (1204 bytes), 2
   * compactions}: for the daemon's status}
   */
  public String status() {
    synchronized (lock) {
      return fsync.name().toLowerCase() + ", " + dir.resolve(LOG + generation) + " (" + currentBytes + " bytes), "
          + compactions + (compactions == 1 ? " compaction" : " compactions") + (compacting ? ", compacting" : "");
    }
  }

  private void lockDir() {
    dirLock = LogFiles.lock(dir);
  }

  /** Releases the directory after a failed start. */
  private void unlockDir() {
    LogFiles.closeQuietly(dirLock, dir);
  }

  private LogFile openLog(int gen) {
    return LogFile.create(dir, LOG + gen);
  }

  private static void waitOn(Object o) {
    waitOn(o, 0);
  }

  private static void waitOn(Object o, long millis) {
    try {
      o.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the journal: what is gathered is written and forced, waiting replies are sent, the log
   * is closed. A compaction under way is waited for (at most a few seconds).
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    try {
      syncer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    compactor.shutdown();
    try {
      compactor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Held> rest;
    synchronized (lock) {
      try {
        if (gathered.size() > 0) {
          current.append(ByteBuffer.wrap(gathered.bytes(), 0, gathered.size()));
          gathered.reset();
        }
        current.close(); // cut back to its records, and forced
        LogFiles.closeQuietly(dirLock, dir);
      } catch (IOException | RuntimeException e) {
        log.error("journal {}: cannot close the log", dir, e);
      }
      syncedSeq = lastSeq;
      rest = new ArrayList<>(held);
      held.clear();
    }
    rest.forEach(h -> h.send().run());
  }
}
