package io.jmanager.server.journal;

import java.nio.file.Path;

/**
 * The journal's configuration: {@code journal.dir}, {@code journal.fsync} and {@code
 * journal.compact.bytes} (documented in {@code config/manager.properties}).
 *
 * @param dir the directory of the logs and snapshots
 * @param fsync when appended records are forced to disk
 * @param compactBytes the size a log grows to before it is compacted
 */
public record JournalSettings(Path dir, Journal.Fsync fsync, long compactBytes) {
  /** The default size a log grows to before it is compacted. */
  public static final long DEFAULT_COMPACT_BYTES = 64L << 20;

  /**
   * Checks the settings.
   *
   * @param dir the directory of the logs and snapshots
   * @param fsync when appended records are forced to disk
   * @param compactBytes the size a log grows to before it is compacted, at least 1024
   * @throws IllegalArgumentException if {@code compactBytes} is less than 1024
   */
  public JournalSettings {
    if (compactBytes < 1024) {
      throw new IllegalArgumentException("journal.compact.bytes must be at least 1k, got " + compactBytes);
    }
  }
}
