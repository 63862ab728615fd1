package io.jmanager.server.journal;

import java.nio.file.Path;

/**
 * A journal file holds a record that cannot be read, followed by more data: the daemon does not
 * start, and the message names the file, the byte offset and how to cut the file there (losing
 * that record and everything after it in that file).
 */
public final class JournalCorruptException extends IllegalStateException {
  /** The damaged file. */
  private final Path file;

  /** Where the unreadable record starts, in bytes from the file's start. */
  private final long offset;

  JournalCorruptException(Path file, long offset, String problem, Throwable cause) {
    super("journal " + file + " is damaged at byte offset " + offset + ": " + problem
        + ". The daemon does not start on a damaged journal. To keep what precedes it (and lose this"
        + " record and the rest of that file), run: bin/jmanager journal truncate --file " + file
        + " --at " + offset, cause);
    this.file = file;
    this.offset = offset;
  }

  /** {@return the damaged file} */
  public Path file() {
    return file;
  }

  /** {@return where the unreadable record starts, in bytes: the {@code --at} of the repair} */
  public long offset() {
    return offset;
  }
}
