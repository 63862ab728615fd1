package io.jmanager.client.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes.Name;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A worker's classpath as class-data sharing sees it: which entries stop JDK 17 from archiving it,
 * and the {@link Key} that names its archive. Immutable; each question reads the file system anew.
 *
 * <p>JDK 17 archives classes only from jars. A dynamic dump exits the JVM with status 1 ("Cannot
 * have non-empty directory in paths") when a non-empty directory precedes or supplies a loaded
 * class, and an archive never maps for a classpath whose archived part holds a non-empty
 * directory. Empty and missing entries are harmless.
 */
final class CdsClasspath {
  private final String classpath;
  private final List<Path> entries;

  private CdsClasspath(String classpath, List<Path> entries) {
    this.classpath = classpath;
    this.entries = entries;
  }

  /** {@code classpath} as in {@code java.class.path}, where the launcher has expanded wildcards. */
  static CdsClasspath of(String classpath) {
    List<Path> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator, -1)) {
      // an empty entry means the working directory
      entries.add(Path.of(entry.isEmpty() ? "." : entry));
    }
    return new CdsClasspath(classpath, List.copyOf(entries));
  }

  /** Whether an entry is a non-empty directory, as Maven's {@code target/classes} is. */
  boolean hasClassDirectory() {
    return entries.stream().anyMatch(CdsClasspath::isNonEmptyDirectory);
  }

  /**
   * Whether a jar's manifest {@code Class-Path}, followed from jar to jar, names a non-empty
   * directory: the JVM adds those entries to the archived classpath too.
   */
  boolean manifestNamesClassDirectory() throws IOException {
    Deque<Path> jars = new ArrayDeque<>(entries);
    Set<Path> seen = new HashSet<>();
    while (!jars.isEmpty()) {
      Path jar = jars.pop().toAbsolutePath().normalize();
      if (!Files.isRegularFile(jar) || !seen.add(jar)) {
        continue;
      }
      for (Path named : manifestClassPath(jar)) {
        if (isNonEmptyDirectory(named)) {
          return true;
        }
        jars.add(named);
      }
    }
    return false;
  }

  /**
   * The key of this classpath's archive under the JDK at {@code javaHome}, version {@code
   * vmVersion}: its {@link Key#prefix()} depends on the JDK's home and the classpath string, its
   * {@link Key#fileName()} also on the JDK's version and each entry's size and modification time.
   */
  Key key(String javaHome, String vmVersion) throws IOException {
    String prefix = sha256Hex(javaHome + '\0' + classpath);
    StringBuilder state = new StringBuilder(javaHome).append('\0').append(vmVersion);
    state.append('\0').append(classpath);
    for (Path entry : entries) {
      state.append('\0').append(fileState(entry));
    }
    return new Key(prefix, sha256Hex(state.toString()));
  }

  /**
   * An archive's name: {@code <prefix>-<state>.jsa}. Archives sharing a prefix are versions of one
   * classpath under one JDK installation, so a new one replaces the others.
   */
  record Key(String prefix, String state) {
    String fileName() {
      return prefix + "-" + state + ".jsa";
    }
  }

  private static String fileState(Path entry) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class);
      return a.size() + "@" + a.lastModifiedTime().toMillis();
    } catch (NoSuchFileException e) {
      return "absent"; // the JVM skips missing entries; creating one changes the key
    }
  }

  private static boolean isNonEmptyDirectory(Path entry) {
    if (!Files.isDirectory(entry)) {
      return false;
    }
    try (Stream<Path> children = Files.list(entry)) {
      return children.findAny().isPresent();
    } catch (IOException e) {
      return true; // unreadable: assume the worst, as the JVM's check would fail on it too
    }
  }

  private static List<Path> manifestClassPath(Path jar) throws IOException {
    String value;
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      value = manifest == null ? null : manifest.getMainAttributes().getValue(Name.CLASS_PATH);
    }
    List<Path> named = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return named;
    }
    URI base = jar.getParent().toUri();
    for (String url : value.trim().split("\\s+")) {
      try {
        named.add(Path.of(base.resolve(url)));
      } catch (IllegalArgumentException | FileSystemNotFoundException e) {
        // not a local file URL: the JVM cannot use it as a classpath entry either
      }
    }
    return named;
  }

  private static String sha256Hex(String s) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
