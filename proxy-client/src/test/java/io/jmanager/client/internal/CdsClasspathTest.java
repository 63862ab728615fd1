package io.jmanager.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.internal.CdsClasspath.Key;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.Attributes.Name;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsClasspathTest {
  private static final String HOME = "/opt/jdk";
  private static final String VERSION = "17.0.15+6";

  @TempDir Path dir;
  Path a;
  Path b;
  String classpath;

  @BeforeEach
  void twoJars() throws IOException {
    a = jar("a.jar", null);
    b = jar("b.jar", null);
    classpath = a + File.pathSeparator + b;
  }

  @Test
  void key_isStableWhileNothingChanges() throws IOException {
    assertEquals(key(classpath), key(classpath));
  }

  @Test
  void key_changesWhenAJarsModificationTimeChanges_prefixStays() throws IOException {
    Key before = key(classpath);
    Files.setLastModifiedTime(b, FileTime.from(Instant.now().minusSeconds(3600)));
    Key after = key(classpath);
    assertNotEquals(before.fileName(), after.fileName());
    assertEquals(before.prefix(), after.prefix());
  }

  @Test
  void key_changesWhenAJarsSizeChanges_prefixStays() throws IOException {
    Key before = key(classpath);
    FileTime modified = Files.getLastModifiedTime(a);
    Files.write(a, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(a, modified);
    Key after = key(classpath);
    assertNotEquals(before.fileName(), after.fileName());
    assertEquals(before.prefix(), after.prefix());
  }

  @Test
  void key_changesWithTheClasspathString() throws IOException {
    Key both = key(classpath);
    Key reordered = key(b + File.pathSeparator + a);
    Key one = key(a.toString());
    assertNotEquals(both.prefix(), reordered.prefix());
    assertNotEquals(both.prefix(), one.prefix());
    assertNotEquals(both.fileName(), reordered.fileName());
  }

  @Test
  void key_changesWithTheJdk() throws IOException {
    CdsClasspath cp = CdsClasspath.of(classpath);
    assertNotEquals(cp.key(HOME, VERSION).fileName(), cp.key(HOME, "17.0.16+8").fileName());
    assertNotEquals(cp.key(HOME, VERSION).prefix(), cp.key("/opt/other-jdk", VERSION).prefix());
  }

  @Test
  void key_changesWhenAMissingEntryAppears() throws IOException {
    Path later = dir.resolve("later.jar");
    String withMissing = classpath + File.pathSeparator + later;
    Key before = key(withMissing);
    jar("later.jar", null);
    assertNotEquals(before.fileName(), key(withMissing).fileName());
  }

  @Test
  void classDirectory_isANonEmptyDirectoryOnly() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path missing = dir.resolve("missing");
    String cp = String.join(File.pathSeparator, classpath, empty.toString(), missing.toString());
    assertFalse(CdsClasspath.of(cp).hasClassDirectory());
    Path classes = Files.createDirectory(dir.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "x");
    assertTrue(CdsClasspath.of(classes + File.pathSeparator + classpath).hasClassDirectory());
    assertTrue(CdsClasspath.of(classpath + File.pathSeparator + classes).hasClassDirectory());
  }

  @Test
  void manifestClassPath_namingAClassDirectory_isFound() throws IOException {
    assertFalse(CdsClasspath.of(classpath).manifestNamesClassDirectory());
    Path classes = Files.createDirectory(dir.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "x");
    Path c = jar("c.jar", "classes/");
    Path d = jar("d.jar", "c.jar");
    assertTrue(CdsClasspath.of(a + File.pathSeparator + d).manifestNamesClassDirectory());
    assertFalse(CdsClasspath.of(a + File.pathSeparator + jar("e.jar", "b.jar"))
        .manifestNamesClassDirectory());
    assertTrue(CdsClasspath.of(c.toString()).manifestNamesClassDirectory());
  }

  private static Key key(String classpath) throws IOException {
    return CdsClasspath.of(classpath).key(HOME, VERSION);
  }

  private Path jar(String name, String manifestClassPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Name.MANIFEST_VERSION, "1.0");
    if (manifestClassPath != null) {
      manifest.getMainAttributes().put(Name.CLASS_PATH, manifestClassPath);
    }
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar)) {
      new JarOutputStream(out, manifest).finish(); // a manifest is all these jars need
    }
    return jar;
  }
}
