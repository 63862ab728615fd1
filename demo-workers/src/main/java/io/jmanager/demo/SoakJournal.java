package io.jmanager.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What one soak worker incarnation knows for sure, in a small memory-mapped file that survives its
 * SIGKILL: the stores of a killed process are in the page cache already. Before each remote call
 * the worker marks it in flight; when the call's answer has come it counts it and clears the mark,
 * in that order (volatile stores). So after a kill, every call is either counted (acknowledged),
 * or the one in flight (applied or not: unknown), or never sent. The soak's checks bound what the
 * daemon holds by exactly that.
 *
 * <p>Fields are longs at fixed indexes ({@link Field}); one writer, any number of readers.
 */
final class SoakJournal implements AutoCloseable {
  /** The journal's fields. {@code *_ACKS} count acknowledged calls. */
  enum Field {
    STARTED, RESUMED, INFLIGHT, CLEAN_EXIT, VIOLATIONS, OPS,
    TOTAL_ACKS, MERGE_ACKS, PUT_ACKS, TAKE_ACKS, LOCKED_ACKS,
    SLOT_FIRST, SLOT_LAST, SEQ_START, SEQ_LAST, LIST_START, LIST_LAST
  }

  /** What a call in flight is ({@link Field#INFLIGHT}); 0 is none. */
  enum Op {
    NONE, TOTAL, SLOT, SEQ, MERGE, PUT, TAKE, LOCKED, LIST_ADD, LIST_TRIM
  }

  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int BYTES = 8 * Field.values().length;

  private final FileChannel file;
  private final MappedByteBuffer map;

  private SoakJournal(Path path, boolean create) {
    try {
      file = create
          ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      map = file.map(FileChannel.MapMode.READ_WRITE, 0, BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("soak journal " + path, e);
    }
  }

  /** A new journal (the file must not exist), for the worker that writes it. */
  static SoakJournal create(Path path) {
    SoakJournal j = new SoakJournal(path, true);
    j.set(Field.STARTED, 1);
    return j;
  }

  /** An existing journal, to read. */
  static SoakJournal open(Path path) {
    return new SoakJournal(path, false);
  }

  long get(Field f) {
    return (long) LONGS.getVolatile(map, f.ordinal() * 8);
  }

  void set(Field f, long value) {
    LONGS.setVolatile(map, f.ordinal() * 8, value);
  }

  /** The call {@code op} is about to be sent. */
  void inFlight(Op op) {
    set(Field.INFLIGHT, op.ordinal());
  }

  /** The call in flight was answered: count it in {@code acks}, then clear the mark. */
  void acknowledged(Field acks) {
    set(acks, get(acks) + 1);
    done();
  }

  /** The call in flight was answered (what it returned is recorded by the caller first). */
  void done() {
    set(Field.OPS, get(Field.OPS) + 1);
    set(Field.INFLIGHT, Op.NONE.ordinal());
  }

  Op inFlight() {
    return Op.values()[(int) get(Field.INFLIGHT)];
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
