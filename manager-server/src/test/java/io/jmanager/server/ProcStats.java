package io.jmanager.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A process's open files, threads and resident memory, read from Linux's /proc. */
final class ProcStats {
  private ProcStats() {}

  /** Open file descriptors of {@code pid}. */
  static int openFds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Live threads of {@code pid} ({@code Threads:} in /proc/pid/status). */
  static int threads(long pid) {
    return (int) status(pid, "Threads:");
  }

  /** Resident set size of {@code pid} in KiB ({@code VmRSS:} in /proc/pid/status). */
  static long rssKib(long pid) {
    return status(pid, "VmRSS:");
  }

  /**
   * The bytes of every object in {@code pid}'s heap that survives a full collection, in KiB: what
   * its objects really hold, where RSS also counts heap the JVM has grown into and keeps. The total
   * of {@code jcmd pid GC.class_histogram}, which collects first.
   */
  static long liveHeapKib(long pid) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$")
        .matcher(jcmd(pid, "GC.class_histogram"));
    if (!m.find()) {
      throw new IllegalStateException("no total in jcmd " + pid + " GC.class_histogram");
    }
    return Long.parseLong(m.group(1)) / 1024;
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** This process's soft limit on open files ({@code Max open files} in /proc/self/limits). */
  static int openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(soft);
        }
      }
      throw new IllegalStateException("no 'Max open files' in /proc/self/limits");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
      throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
