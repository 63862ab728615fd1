package io.jmanager.server.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Repairs of a journal directory by hand, for {@code bin/jmanager journal}. */
public final class JournalFiles {
  private JournalFiles() {}

  /**
   * Cuts {@code file} (a {@code log-N} or {@code snapshot-N} of a journal, with no daemon running
   * on it) at byte {@code offset}, as the daemon's corruption message says: what precedes the
   * damaged record is kept, it and everything after it in that file are lost.
   *
   * @param file the journal file the daemon named
   * @param offset the byte offset the daemon named; the file's new length
   * @return the bytes removed
   * @throws IllegalArgumentException if {@code file} is not a journal file, or {@code offset} lies
   *     outside it
   * @throws IllegalStateException if a daemon runs on the file's directory
   * @throws IOException if the file cannot be read or written
   */
  public static long truncate(Path file, long offset) throws IOException {
    String name = file.getFileName().toString();
    if (!name.matches("(log|snapshot)-\\d{1,9}")) {
      throw new IllegalArgumentException(file + " is not a journal file (log-N or snapshot-N)");
    }
    long size = Files.size(file);
    if (offset < 0 || offset > size) {
      throw new IllegalArgumentException("offset " + offset + " is outside " + file + " (" + size + " bytes)");
    }
    FileChannel dirLock = LogFiles.lock(file.toAbsolutePath().getParent()); // refused while a daemon runs on it
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(offset);
      ch.force(true);
    } finally {
      LogFiles.closeQuietly(dirLock, file.getParent());
    }
    return size - offset;
  }
}
