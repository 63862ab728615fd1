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
  public static final String ADDRESS_ENV = "JMANAGER_ADDRESS";
  public static final String AUTHKEY_ENV = "JMANAGER_AUTHKEY";
  public static final int KEY_BYTES = 32;

  private Authkeys() {}

  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".jmanager", "authkey");
  }

  /** The key from {@code JMANAGER_AUTHKEY}, or null if unset. */
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

  /** Reads {@code file}, creating it first (32 random bytes, mode 0600) if it does not exist. */
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

  public static byte[] random() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  public static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
