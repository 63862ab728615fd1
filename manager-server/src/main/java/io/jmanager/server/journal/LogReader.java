package io.jmanager.server.journal;

import io.jmanager.wire.ClassNotAllowedException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one journal or snapshot file, record by record, in order. The zeros a log is written over
 * ({@link LogFile}) end it quietly. A damaged last record (the daemon died while writing it: the
 * file ends inside it, or it fails its checksum and nothing but zeros follows it) is dropped and
 * logged at WARN: it was never acknowledged. A damaged record
 * followed by more data is corruption: {@link JournalCorruptException} with the file and offset.
 * A record that passes its checksum but holds a class the allowlist refuses stops the start too.
 */
final class LogReader {
  private static final Logger log = LoggerFactory.getLogger(LogReader.class);

  private LogReader() {}

  /** Reads {@code file}; returns the length of its whole records (the offset a torn tail starts at). */
  static long read(Path file, RecordCodec codec, int maxRecordBytes, Consumer<Record> sink) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + file, e);
    }
    long offset = 0;
    byte[] buf = new byte[4096];
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      while (offset < size) {
        if (size - offset < RecordCodec.HEADER_BYTES) {
          return torn(file, offset, size, "the file ends inside a record header");
        }
        int len = in.readInt();
        int crc = in.readInt();
        if (len == 0 && crc == 0 && zerosFrom(file, offset)) {
          return offset; // the zeros a log is written over (LogFile): a daemon that stopped without closing it
        }
        if (len < RecordCodec.SEQ_BYTES + 3 || len > maxRecordBytes) {
          return tornOrCorrupt(file, offset, size, "impossible record length " + len, null);
        }
        if (size - offset - RecordCodec.HEADER_BYTES < len) {
          return torn(file, offset, size, "the file ends inside a record of " + len + " bytes");
        }
        if (buf.length < len) {
          buf = new byte[Math.max(len, buf.length * 2)];
        }
        in.readFully(buf, 0, len);
        if (RecordCodec.crc(buf, 0, len) != crc) {
          long next = offset + RecordCodec.HEADER_BYTES + len;
          if (next == size) {
            return torn(file, offset, size, "the last record fails its checksum");
          }
          if (zerosFrom(file, next)) { // written in part over the zeros ahead, when the daemon stopped
            return torn(file, offset, size, "the last record fails its checksum, and only zeros follow");
          }
          throw new JournalCorruptException(file, offset, "a record fails its checksum, and " + (size - next)
              + " bytes follow it", null);
        }
        Record r;
        try {
          r = codec.decode(buf, 0, len);
        } catch (RuntimeException | StackOverflowError e) {
          ClassNotAllowedException refused = refused(e);
          if (refused != null) {
            throw new IllegalStateException("journal " + file + " at byte offset " + offset + ": "
                + refused.getMessage() + " (the journal is read through the same allowlist as live calls:"
                + " allow the class with serialization.allow to start on this journal)", e);
          }
          throw new JournalCorruptException(file, offset, "a record passes its checksum but cannot be read ("
              + e + ")", e);
        }
        sink.accept(r);
        offset += RecordCodec.HEADER_BYTES + len;
      }
      return offset;
    } catch (EOFException e) {
      return torn(file, offset, size, "the file ends inside a record");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + file, e);
    }
  }

  private static ClassNotAllowedException refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClassNotAllowedException c) {
        return c;
      }
    }
    return null;
  }

  private static long torn(Path file, long offset, long size, String why) {
    log.warn("journal {}: dropping the torn last record at byte offset {} ({} bytes; {}): the daemon stopped while"
        + " writing it, so it was never acknowledged", file, offset, size - offset, why);
    return offset;
  }

  /** Torn if nothing but zeros follows {@code offset} (a file extended but never written), else corrupt. */
  private static long tornOrCorrupt(Path file, long offset, long size, String problem, Throwable cause) {
    if (zerosFrom(file, offset)) {
      return torn(file, offset, size, problem + ", and only zeros follow");
    }
    throw new JournalCorruptException(file, offset, problem + ", and " + (size - offset) + " bytes follow", cause);
  }

  private static boolean zerosFrom(Path file, long offset) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 16);
      long pos = offset;
      while (true) {
        b.clear();
        int n = ch.read(b, pos);
        if (n < 0) {
          return true;
        }
        for (int i = 0; i < n; i++) {
          if (b.get(i) != 0) {
            return false;
          }
        }
        pos += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + file, e);
    }
  }
}
