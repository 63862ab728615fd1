package io.jmanager.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run file {@value #NAME}, beside the daemon's authkey file: where a daemon started by {@code
 * bin/jmanager server} listens and its pid, so that {@code status} and {@code shutdown} find a
 * daemon started with {@code --port 0} or another config's port without {@code --address}. One
 * file per authkey directory: the last daemon started there, while its process lives. Written
 * whole (a rename) and mode 0600; removed when that daemon stops.
 *
 * <p>{@code {"pid": 4242, "address": "127.0.0.1:50000", "unix": "/home/me/.jmanager/jmanager-50000.sock",
 * "python": "127.0.0.1:50001"}}, the last two null when off.
 */
final class RunFile {
  static final String NAME = "daemon.json";
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(null|\\d+|\"((?:[^\"\\\\]|\\\\.)*)\")");

  /** What a run file says. */
  record Entry(long pid, String address, String unix, String python) {
    /** The address a client tries: the Unix socket first, where there is one. */
    String clientAddress() {
      return unix != null && Files.exists(Path.of(unix)) ? "unix:" + unix + "," + address : address;
    }

    boolean alive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  private RunFile() {}

  /** The run file of the daemons whose authkey file is {@code authkeyFile}. */
  static Path of(Path authkeyFile) {
    Path dir = authkeyFile.toAbsolutePath().getParent();
    return dir.resolve(NAME);
  }

  /** Writes {@code server}'s run file (this process's pid). */
  static void write(Path file, ManagerServer server) {
    String json = "{\"pid\": " + ProcessHandle.current().pid()
        + ", \"address\": " + quoted(server.addressString())
        + ", \"unix\": " + quoted(server.unixSocket().map(p -> p.toAbsolutePath().toString()).orElse(null))
        + ", \"python\": " + quoted(server.pythonAddress()
            .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).orElse(null))
        + "}\n";
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), NAME, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, json);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run file " + file, e);
    }
  }

  /** The run file's entry, if there is one and its daemon's process lives. */
  static Optional<Entry> live(Path file) {
    return read(file).filter(Entry::alive);
  }

  static Optional<Entry> read(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      return Optional.empty(); // none: no daemon was started with this authkey directory, or it stopped
    }
    Long pid = null;
    String address = null;
    String unix = null;
    String python = null;
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      String value = m.group(3) == null ? (m.group(2).equals("null") ? null : m.group(2))
          : m.group(3).replace("\\\"", "\"").replace("\\\\", "\\");
      switch (m.group(1)) {
        case "pid" -> pid = value == null ? null : Long.parseLong(value);
        case "address" -> address = value;
        case "unix" -> unix = value;
        case "python" -> python = value;
        default -> { } // a later version's field
      }
    }
    return pid == null || address == null ? Optional.empty() : Optional.of(new Entry(pid, address, unix, python));
  }

  /** Removes the run file if it is still this process's (a later daemon may have replaced it). */
  static void removeIfOurs(Path file) {
    read(file).filter(e -> e.pid() == ProcessHandle.current().pid()).ifPresent(e -> {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a stale file names a dead pid: readers ignore it
      }
    });
  }

  private static String quoted(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
