package io.jmanager.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.WorkerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared memory blocks across real JVMs (and CPython): naming, bounds, atomicity and the lock. */
class SharedMemoryTest {
  private final List<SharedMemory> created = new ArrayList<>();
  private final List<WorkerProcess> workers = new ArrayList<>();

  private SharedMemory create(long bytes) {
    SharedMemory block = SharedMemory.create(bytes);
    created.add(block);
    return block;
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (WorkerProcess w : workers) {
      w.kill();
      w.join(Duration.ofSeconds(10));
    }
    for (SharedMemory block : created) {
      block.close();
      if (Files.exists(block.path())) {
        block.unlink();
      }
    }
  }

  private WorkerProcess start(Class<?> main, String... args) {
    WorkerProcess w = WorkerProcess.of(main, args);
    workers.add(w);
    return w.start();
  }

  @Test
  void aBlock_isNamedAsPythonNamesIt_ownerOnly_andAttachedBytesForBytes() throws Exception {
    SharedMemory block = create(100);
    assertTrue(block.name().matches("psm_[0-9a-f]{8}"), block.name());
    assertEquals(Path.of("/dev/shm", block.name()), block.path());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(block.path())));
    assertEquals(100, block.size());
    block.buffer().put(99, (byte) 7);
    block.longs().set(3, -5);
    try (SharedMemory other = SharedMemory.attach(block.name())) {
      assertEquals(100, other.size());
      assertEquals(7, other.buffer().get(99));
      assertEquals(-5, other.longs().get(3));
      assertEquals(12, other.longs().length(), "100 bytes hold 12 longs");
    }
    block.unlink();
    assertFalse(Files.exists(block.path()));
    IllegalStateException twice = assertThrows(IllegalStateException.class, block::unlink);
    assertTrue(twice.getMessage().contains("already unlinked"), twice.getMessage());
  }

  @Test
  void badNamesSizesAndViews_failClearly() {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach("psm_nosuchblock"));
    assertTrue(missing.getMessage().contains("no shared memory block named 'psm_nosuchblock'"), missing.getMessage());
    SharedMemory block = create(64);
    IllegalStateException exists = assertThrows(IllegalStateException.class, () -> SharedMemory.create(block.name(), 8));
    assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("a/b", 8));
    assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> block.longs(0, 9));
    assertTrue(tooLong.getMessage().contains("needs 72 bytes") && tooLong.getMessage().contains("has 64"),
        tooLong.getMessage());
    IllegalArgumentException misaligned = assertThrows(IllegalArgumentException.class, () -> block.longs(4, 1));
    assertTrue(misaligned.getMessage().contains("multiple of 8"), misaligned.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> block.longs().get(8));
    assertThrows(IndexOutOfBoundsException.class, () -> block.ints(8, 2).addAndGet(2, 1));
    assertEquals(14, block.ints(8, 14).length());
    block.close();
    IllegalStateException closed = assertThrows(IllegalStateException.class, block::buffer);
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }

  @Test
  void fourJvms_addAndGetAMillionTimesEach_theTotalIsExact() throws Exception {
    SharedMemory block = create(64);
    for (int i = 0; i < 4; i++) {
      start(ShmWorkers.Adder.class, block.name(), "2", "1000000");
    }
    for (WorkerProcess w : workers) {
      assertTrue(w.join(Duration.ofSeconds(60)), "an adder did not finish");
      assertEquals(0, w.exitCode().getAsInt());
    }
    assertEquals(4_000_000L, block.longs().getVolatile(2));
    assertEquals(0L, block.longs().get(1), "the neighbours are untouched");
  }

  @Test
  void doubles_addAndGetAcrossJvms_isExact() throws Exception {
    SharedMemory block = create(8);
    for (int i = 0; i < 2; i++) {
      start(ShmWorkers.DoubleAdder.class, block.name(), "100000");
    }
    for (WorkerProcess w : workers) {
      assertTrue(w.join(Duration.ofSeconds(60)));
      assertEquals(0, w.exitCode().getAsInt());
    }
    assertEquals(100_000.0, block.doubles().getVolatile(0));
    assertTrue(block.doubles().compareAndSet(0, 100_000.0, -0.0));
    assertFalse(block.doubles().compareAndSet(0, 0.0, 1.0), "bits are compared: 0.0 is not -0.0");
  }

  @Test
  void theBlockLock_excludesOtherJvms() throws Exception {
    SharedMemory block = create(8);
    for (int i = 0; i < 2; i++) {
      start(ShmWorkers.LockedIncrementer.class, block.name(), "20000");
    }
    BlockLock lock = block.lock();
    LongArrayView longs = block.longs();
    for (int i = 0; i < 20000; i++) {
      lock.lock();
      try {
        longs.set(0, longs.get(0) + 1);
      } finally {
        lock.unlock();
      }
    }
    for (WorkerProcess w : workers) {
      assertTrue(w.join(Duration.ofSeconds(60)));
      assertEquals(0, w.exitCode().getAsInt());
    }
    assertEquals(60_000L, longs.getVolatile(0));
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @Test
  void aKilledHolder_cannotLeaveTheBlockLocked() throws Exception {
    SharedMemory block = create(8);
    WorkerProcess holder = WorkerProcess.of(ShmWorkers.LockHolder.class, block.name()).redirectOutput(Redirect.PIPE);
    workers.add(holder);
    holder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.process().getInputStream(), StandardCharsets.UTF_8));
    assertEquals("locked", out.readLine());
    BlockLock lock = block.lock();
    assertFalse(lock.tryLock(), "held by the other JVM");
    assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));
    holder.kill();
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "the kernel released the dead holder's lock");
    lock.unlock();
  }

  // ---- with CPython, when python3 is on the PATH

  private static boolean hasPython() {
    try {
      return new ProcessBuilder("python3", "-c", "import multiprocessing.shared_memory").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs {@code script} in python3 with {@code args}; returns its stdout lines, failing on a non-zero exit. */
  private static List<String> python(String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(Redirect.INHERIT).start();
    List<String> lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().toList();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
    assertEquals(0, p.exitValue(), "python3 failed: " + lines);
    return lines;
  }

  @Test
  void aBlockJavaCreates_isReadAndWrittenByCPython() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(hasPython(), "python3 with multiprocessing.shared_memory is not on the PATH");
    SharedMemory block = create(32);
    block.longs().set(0, 1234567890123L);
    block.doubles().set(1, 2.5);
    block.buffer().put(16, "java".getBytes(StandardCharsets.US_ASCII));
    List<String> out = python("""
        import struct, sys
        from multiprocessing import shared_memory, resource_tracker
        shm = shared_memory.SharedMemory(name=sys.argv[1])
        resource_tracker.unregister(shm._name, "shared_memory")  # attached, not created: not ours to unlink
        print(shm.size, struct.unpack_from("=q", shm.buf, 0)[0], struct.unpack_from("=d", shm.buf, 8)[0],
              bytes(shm.buf[16:20]).decode())
        struct.pack_into("=q", shm.buf, 24, -42)
        shm.close()
        """, block.name());
    // Python rounds the mmap up to whole pages for its size on some versions; the bytes are what count
    String[] f = out.get(0).split(" ");
    assertEquals(List.of("1234567890123", "2.5", "java"), List.of(f[1], f[2], f[3]));
    assertEquals(-42L, block.longs().getVolatile(3));
  }

  @Test
  void aBlockCPythonCreates_isReadAndWrittenByJava() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(hasPython(), "python3 with multiprocessing.shared_memory is not on the PATH");
    Process p = new ProcessBuilder("python3", "-c", """
        import struct, sys
        from multiprocessing import shared_memory
        shm = shared_memory.SharedMemory(create=True, size=24)
        struct.pack_into("=qd", shm.buf, 0, 77, -1.25)
        shm.buf[16:22] = b"python"
        print(shm.name, flush=True)
        sys.stdin.readline()   # until Java has read and written
        print(struct.unpack_from("=q", shm.buf, 0)[0], flush=True)
        shm.close()
        shm.unlink()
        """).redirectError(Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String name = out.readLine();
      assertTrue(name != null && name.startsWith("psm_"), String.valueOf(name));
      try (SharedMemory block = SharedMemory.attach(name)) {
        assertEquals(24, block.size());
        assertEquals(77L, block.longs().get(0));
        assertEquals(-1.25, block.doubles().get(1));
        byte[] text = new byte[6];
        block.buffer().get(16, text);
        assertArrayEquals("python".getBytes(StandardCharsets.US_ASCII), text);
        assertEquals(78L, block.longs().addAndGet(0, 1));
      }
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
      assertEquals("78", out.readLine());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertFalse(Files.exists(Path.of("/dev/shm", name)), "Python, the creator, unlinked it");
    } finally {
      p.destroyForcibly();
    }
  }
}
