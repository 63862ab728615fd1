package io.jmanager.common;

import io.jmanager.client.AuthenticationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where authkeys come from: {@code JMANAGER_AUTHKEY} (hex) first, then a key file (raw bytes,
 * default {@code ~/.jmanager/authkey}). The daemon creates a missing key file with 32 random bytes
 * and mode 0600.
 */
public final class Authkeys {
  /** The environment variable holding the daemon's address for a worker: {@value}. */
  public static final String ADDRESS_ENV = "JMANAGER_ADDRESS";

  /** The environment variable holding the authkey in hex: {@value}. */
  public static final String AUTHKEY_ENV = "JMANAGER_AUTHKEY";

  /** The length of a generated authkey, in bytes. */
  public static final int KEY_BYTES = 32;

  private Authkeys() {}

  /** {@return the default key file, {@code ~/.jmanager/authkey}, whether or not it exists} */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".jmanager", "authkey");
  }

  /**
   * {@return the key from {@code JMANAGER_AUTHKEY}, or null if unset or blank}
   *
   * @throws AuthenticationException if the variable is set but not hex digits
   */
  public static byte[] fromEnvironment() {
    String hex = System.getenv(AUTHKEY_ENV);
    if (hex == null || hex.isBlank()) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(hex.trim());
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(AUTHKEY_ENV + " must be hex digits: " + e.getMessage());
    }
  }

  /**
   * {@return the key from {@code JMANAGER_AUTHKEY}, else from the default key file} A client's
   * default; it never creates the file.
   *
   * @throws AuthenticationException if neither holds a usable key, saying how to provide one
   */
  public static byte[] fromEnvironmentOrHome() {
    byte[] key = fromEnvironment();
    if (key != null) {
      return key;
    }
    Path file = defaultFile();
    if (!Files.isReadable(file)) {
      throw new AuthenticationException(
          "no authkey: set " + AUTHKEY_ENV + " (hex) or create " + file
              + " (the daemon creates it on first start)");
    }
    return read(file);
  }

  /**
   * Reads the key in {@code file}.
   *
   * @param file a key file: the raw key bytes, mode 0600
   * @return the key
   * @throws AuthenticationException if it is missing, empty, unreadable, or readable by group or
   *     others (refused, as OpenSSH refuses such a private key: the message says the chmod to run)
   */
  public static byte[] read(Path file) {
    refuseOpenPermissions(file);
    try {
      byte[] key = Files.readAllBytes(file);
      if (key.length == 0) {
        throw new AuthenticationException("authkey file " + file + " is empty");
      }
      return key;
    } catch (IOException e) {
      throw new AuthenticationException("cannot read authkey file " + file + ": " + e);
    }
  }

  private static void refuseOpenPermissions(Path file) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException noPosixModes) {
      return; // a file system without POSIX modes, or no file: read() says what is wrong
    }
    if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
      throw new AuthenticationException(
          "authkey file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
              + "); protect it with: chmod 600 " + file);
    }
  }

  /**
   * Reads {@code file}, creating it first (32 random bytes, mode 0600, in a directory of mode 0700
   * if that is missing too) if it does not exist: a daemon's start. If another process creates it
   * at the same time, its key is used.
   *
   * @param file the key file
   * @return the key
   * @throws UncheckedIOException if the file cannot be created
   * @throws AuthenticationException if it exists but cannot be used, as {@link #read(Path)} says
   */
  public static byte[] loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      byte[] key = random();
      try {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.exists(dir)) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, key);
        return key;
      } catch (FileAlreadyExistsException raced) {
        // another daemon created it first: use theirs
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create authkey file " + file, e);
      }
    }
    return read(file);
  }

  /** {@return a new key of {@link #KEY_BYTES} bytes from {@link SecureRandom}} */
  public static byte[] random() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * {@return {@code key} in lower-case hex, as {@code JMANAGER_AUTHKEY} holds it}
   *
   * @param key the key
   */
  public static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
