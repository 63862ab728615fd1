package io.jmanager.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.internal.CdsClasspath.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsStoreTest {
  private static final Key KEY = new Key("aaaa", "0001");

  @TempDir Path tmp;
  Path dir;
  CdsStore store;

  @BeforeEach
  void open() throws IOException {
    dir = tmp.resolve("home").resolve("cds");
    store = CdsStore.open(dir);
  }

  @Test
  void open_createsTheDirectoryPrivate() throws IOException {
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void tryLock_isExclusiveUntilUnlocked() throws IOException {
    Optional<Path> first = store.tryLock(KEY);
    assertTrue(first.isPresent());
    assertTrue(store.tryLock(KEY).isEmpty(), "a live holder keeps the lock");
    assertTrue(store.tryLock(new Key("aaaa", "0002")).isPresent(), "another key has its own lock");
    store.unlock(first.get());
    assertTrue(store.tryLock(KEY).isPresent());
  }

  @Test
  void tryLock_replacesALockWhoseHolderIsGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dir.resolve(KEY.fileName() + ".lock"), Long.toString(gone.pid()));
    assertTrue(store.tryLock(KEY).isPresent());
  }

  @Test
  void tryLock_replacesALockOlderThanStale_evenOfALiveHolder() throws IOException {
    Path lock = store.tryLock(KEY).orElseThrow();
    Files.setLastModifiedTime(lock, staleTime());
    assertTrue(store.tryLock(KEY).isPresent());
  }

  @Test
  void tryLock_respectsAFreshLockWithoutPidYet() throws IOException {
    Files.createFile(dir.resolve(KEY.fileName() + ".lock"));
    assertTrue(store.tryLock(KEY).isEmpty());
  }

  @Test
  void publish_movesTheDumpInPlace_andDeletesOlderStatesOfTheSameClasspathOnly()
      throws IOException {
    Files.writeString(store.archive(new Key("aaaa", "0000")), "older state");
    Files.writeString(store.archive(new Key("bbbb", "0000")), "another classpath");
    Path dump = store.tempFile(KEY);
    Files.writeString(dump, "archive");

    store.publish(dump, KEY);

    assertEquals("archive", Files.readString(store.archive(KEY)));
    assertEquals(Set.of(KEY.fileName(), "bbbb-0000.jsa"), names());
  }

  @Test
  void tempFiles_areUniqueAndNotCreated() {
    Path one = store.tempFile(KEY);
    assertFalse(one.equals(store.tempFile(KEY)));
    assertFalse(Files.exists(one));
    assertTrue(one.getFileName().toString().endsWith(".tmp"));
  }

  @Test
  void sweepTempFiles_deletesOnlyOldOnes() throws IOException {
    Path old = Files.writeString(store.tempFile(KEY), "dump of a creator that died");
    Files.setLastModifiedTime(old, staleTime());
    Path fresh = Files.writeString(store.tempFile(KEY), "dump being published");
    Path archive = Files.writeString(store.archive(KEY), "archive");
    Files.setLastModifiedTime(archive, FileTime.from(Instant.EPOCH));

    store.sweepTempFiles();

    assertEquals(Set.of(fresh.getFileName().toString(), KEY.fileName()), names());
  }

  private static FileTime staleTime() {
    return FileTime.from(Instant.now().minus(CdsStore.STALE).minusSeconds(1));
  }

  private Set<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
