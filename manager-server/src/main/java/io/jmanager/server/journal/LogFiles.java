package io.jmanager.server.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The journal directory's files: its lock, its logs, whole writes. */
final class LogFiles {
  private static final Logger log = LoggerFactory.getLogger(LogFiles.class);

  private LogFiles() {}

  /**
   * Locks {@code dir} for this daemon (the file {@code lock}, held until closed): a second daemon
   * on it would interleave two logs.
   */
  static FileChannel lock(Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        if (ch.tryLock() != null) {
          return ch;
        }
      } catch (OverlappingFileLockException e) {
        // held by a daemon in this JVM
      }
      ch.close();
      throw new IllegalStateException("journal " + dir + " is in use by another daemon (journal.dir): one daemon per journal");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock journal directory " + dir, e);
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer b) {
    try {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal", e);
    }
  }

  static void closeQuietly(FileChannel ch, Path dir) {
    try {
      if (ch != null) {
        ch.close();
      }
    } catch (IOException e) {
      log.debug("journal {}: cannot close a file", dir, e);
    }
  }
}
