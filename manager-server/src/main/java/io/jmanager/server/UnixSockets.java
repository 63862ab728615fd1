package io.jmanager.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The socket file of the daemon's Unix listener: made ready, locked down, removed. */
final class UnixSockets {
  private static final Logger log = LoggerFactory.getLogger(UnixSockets.class);

  private UnixSockets() {}

  /**
   * Makes {@code path} ready to bind: its directory exists (created mode 0700), and a socket file
   * left by a daemon that is gone is removed.
   *
   * @throws IllegalStateException if a live daemon listens on {@code path}
   */
  static void prepare(Path path) {
    try {
      Path dir = path.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (Files.exists(path)) {
        if (answers(path)) {
          throw new IllegalStateException("another daemon listens on " + path);
        }
        log.info("removing stale socket file {}", path);
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes the socket files in {@code dir} named as {@code unix.path=auto} names them ({@code
   * jmanager-<port>.sock}) that no daemon answers on any more: those of daemons that were killed
   * (a killed JVM cannot remove its own). A file younger than a few seconds is left alone: its
   * daemon may be between creating it and listening on it.
   */
  static void sweepStale(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    long youngMillis = System.currentTimeMillis() - 10_000;
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.matches("jmanager-\\d+\\.sock") && Files.getLastModifiedTime(f).toMillis() < youngMillis && !answers(f)) {
          log.debug("removing stale socket file {}", f);
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("cannot sweep stale socket files in {}: {}", dir, e.toString());
    }
  }

  private static boolean answers(Path path) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return ch.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException refused) {
      return false;
    }
  }

  /** Mode 0600: only this user may connect (the handshake still runs). */
  static void ownerOnly(Path path) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + path + " to its owner", e);
    }
  }

  static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("cannot remove socket file {}: {}", path, e.getMessage());
    }
  }
}
