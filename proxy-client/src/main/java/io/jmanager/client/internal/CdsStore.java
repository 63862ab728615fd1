package io.jmanager.client.internal;

import io.jmanager.client.internal.CdsClasspath.Key;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The directory of class-data sharing archives, shared by every JVM of the user: an archive per
 * {@link Key}, a lock file per key while one worker creates its archive, and temporary files the
 * creating workers dump into. Stateless and thread-safe; JVMs coordinate through atomic file
 * creation and atomic renames only, so an archive in place is always a complete one.
 */
final class CdsStore {
  /** A lock or temporary file this old belongs to a creator that died or hangs. */
  static final Duration STALE = Duration.ofMinutes(5);

  private final Path dir;

  private CdsStore(Path dir) {
    this.dir = dir;
  }

  /** The store in {@code dir}, created with its missing parents, mode 0700, if absent. */
  static CdsStore open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return new CdsStore(dir);
  }

  /** Where the archive for {@code key} is, whether or not it exists yet. */
  Path archive(Key key) {
    return dir.resolve(key.fileName());
  }

  /**
   * Takes the creation lock for {@code key}: creates its lock file holding this JVM's pid, after
   * removing a stale one (older than {@link #STALE}, or whose pid is gone). Empty if another live
   * JVM holds it. Two JVMs replacing the same stale lock may both succeed; both creators then dump
   * and publish complete archives, so that race costs time only.
   */
  Optional<Path> tryLock(Key key) throws IOException {
    Path lock = dir.resolve(key.fileName() + ".lock");
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.writeString(lock, Long.toString(ProcessHandle.current().pid()),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return Optional.of(lock);
      } catch (FileAlreadyExistsException e) {
        if (!isStale(lock)) {
          return Optional.empty();
        }
        Files.deleteIfExists(lock);
      }
    }
    return Optional.empty();
  }

  /** Releases a lock from {@link #tryLock}. */
  void unlock(Path lock) throws IOException {
    Files.deleteIfExists(lock);
  }

  /** A fresh name for a creating worker to dump {@code key}'s archive into; no file is created. */
  Path tempFile(Key key) {
    long pid = ProcessHandle.current().pid();
    long random = ThreadLocalRandom.current().nextLong() >>> 1;
    return dir.resolve(key.fileName() + "." + pid + "-" + Long.toString(random, 36) + ".tmp");
  }

  /**
   * Moves {@code dumped} atomically into place as {@code key}'s archive, then deletes the other
   * archives with the same {@link Key#prefix()}: older states of the same classpath. A JVM that
   * already mapped one of them keeps its mapping.
   */
  void publish(Path dumped, Key key) throws IOException {
    Path archive = archive(key);
    Files.move(dumped, archive, StandardCopyOption.ATOMIC_MOVE);
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(dir, key.prefix() + "-*.jsa")) {
      for (Path version : versions) {
        if (!version.getFileName().equals(archive.getFileName())) {
          Files.deleteIfExists(version);
        }
      }
    }
  }

  /**
   * Deletes temporary files older than {@link #STALE}. A live creator's dump exists only from the
   * moment its worker exits until its JVM moves or deletes it, so an old one was left by a JVM
   * that died in between.
   */
  void sweepTempFiles() throws IOException {
    Instant cutoff = Instant.now().minus(STALE);
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*.tmp")) {
      for (Path temp : temps) {
        if (modified(temp).map(t -> t.isBefore(cutoff)).orElse(false)) {
          Files.deleteIfExists(temp);
        }
      }
    }
  }

  private static boolean isStale(Path lock) throws IOException {
    Optional<Instant> modified = modified(lock);
    if (modified.isEmpty() || modified.get().isBefore(Instant.now().minus(STALE))) {
      return true;
    }
    OptionalLong owner = owner(lock);
    return owner.isPresent()
        && ProcessHandle.of(owner.getAsLong()).map(p -> !p.isAlive()).orElse(true);
  }

  /** The pid in a lock file; empty while its creator has not written it yet (then age decides). */
  private static OptionalLong owner(Path lock) throws IOException {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(lock).trim()));
    } catch (NumberFormatException | NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  private static Optional<Instant> modified(Path file) throws IOException {
    try {
      return Optional.of(Files.getLastModifiedTime(file).toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
