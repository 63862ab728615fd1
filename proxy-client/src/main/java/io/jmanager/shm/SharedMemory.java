package io.jmanager.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * A named block of memory that processes on one host map and share: Python's {@code
 * multiprocessing.shared_memory.SharedMemory} for the JVM, and the same block as Python's. A block
 * is a file in {@code /dev/shm} (POSIX shared memory, as {@code shm_open} makes it: memory, never
 * written to disk), created mode 0600, named as Python names it: a name given by the caller, or
 * {@code psm_} and 8 random hex digits. A Java process attaches to a block a CPython process created
 * ({@code SharedMemory(name)}) and the reverse, bytes for bytes.
 *
 * <p>Typed views ({@link #longs}, {@link #ints}, {@link #doubles}) give atomic operations across
 * processes (the CPU's, on memory every process maps), in the platform's byte order, as Python's
 * {@code struct} native formats ({@code "=q"}, {@code "=i"}, {@code "=d"}) and numpy read them.
 * {@link #lock()} serializes updates that are not one atomic operation, and a killed holder cannot
 * leave it locked.
 *
 * <p><b>Lifetimes, as Python's:</b> {@link #close()} unmaps the block from this process (the
 * memory stays); {@link #unlink()} removes the name, and the memory goes once every process has
 * closed it. The creator unlinks. A block whose creator dies without unlinking stays in {@code
 * /dev/shm} (taking memory) until someone unlinks it or the host restarts; unlike CPython, no
 * tracker process unlinks it behind the creator's back.
 *
 * <p>A block is at most {@link Integer#MAX_VALUE} bytes (one mapping). The JVM cannot unmap a
 * mapping that a buffer may still use, so {@link #close()} stops this object from handing out
 * buffers and views, and the mapping goes when the last buffer and view made from it are
 * unreachable (Python refuses to close while a view is exported). Thread-safe.
 */
public final class SharedMemory implements AutoCloseable {
  /** Where blocks live by default: POSIX shared memory on Linux. */
  public static final Path DEFAULT_DIR = Path.of("/dev/shm");
  private static final String PREFIX = "psm_"; // Python's own prefix for generated names
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final Path file;
  private final int size;
  private volatile MappedByteBuffer buffer; // null once closed
  private volatile BlockLock lock;

  private SharedMemory(Path dir, String name, MappedByteBuffer buffer) {
    this.name = name;
    this.file = dir.resolve(name);
    this.size = buffer.capacity();
    this.buffer = buffer;
  }

  /**
   * Creates a block of {@code bytes} zeros in {@code /dev/shm} with a fresh name ({@code psm_} + 8
   * hex digits).
   *
   * @param bytes the block's size, 1 to {@link Integer#MAX_VALUE}
   * @return the new block, mapped in this process; pass its {@link #name()} to the others
   * @throws IllegalArgumentException for a bad size
   * @throws java.io.UncheckedIOException if the file cannot be created or mapped
   */
  public static SharedMemory create(long bytes) {
    return create(DEFAULT_DIR, null, bytes);
  }

  /**
   * Creates the block {@code name} of {@code bytes} zeros in {@code /dev/shm}.
   *
   * @param name the block's name: 1-255 characters without {@code /} (Python's, without its leading
   *     {@code /})
   * @param bytes the block's size, 1 to {@link Integer#MAX_VALUE}
   * @return the new block, mapped in this process
   * @throws IllegalStateException if a block of that name exists
   * @throws IllegalArgumentException for a bad name or size
   */
  public static SharedMemory create(String name, long bytes) {
    return create(DEFAULT_DIR, Objects.requireNonNull(name, "name"), bytes);
  }

  /**
   * As {@link #create(String, long)}, in {@code dir} instead of {@code /dev/shm}.
   *
   * @param dir the directory that holds blocks; a tmpfs shares memory without writing to disk
   * @param name the block's name, or null for a fresh {@code psm_} name
   * @param bytes the block's size, 1 to {@link Integer#MAX_VALUE}
   * @return the new block, mapped in this process
   * @throws IllegalStateException if {@code name} is given and a block of that name exists
   * @throws IllegalArgumentException for a bad name or size, or a missing {@code dir}
   * @throws java.io.UncheckedIOException if the file cannot be created or mapped
   */
  public static SharedMemory create(Path dir, String name, long bytes) {
    Objects.requireNonNull(dir, "dir");
    if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("size must be 1.." + Integer.MAX_VALUE + " bytes, got " + bytes);
    }
    while (true) {
      String n = name != null ? checkName(name) : PREFIX + HexFormat.of().formatHex(randomBytes(4));
      Path file = dir.resolve(n);
      try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ch.write(ByteBuffer.allocate(1), bytes - 1); // sized as ftruncate sizes it: zeros, no memory used yet
        return new SharedMemory(dir, n, ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes));
      } catch (FileAlreadyExistsException e) {
        if (name != null) {
          throw new IllegalStateException("a shared memory block named '" + n + "' exists already (in " + dir + ")");
        }
        // a generated name taken: draw another, as Python does
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("cannot create shared memory block '" + n + "': no directory " + dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create shared memory block '" + n + "' in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Attaches to the existing block {@code name} in {@code /dev/shm}, whatever its size.
   *
   * @param name the block's name, as its creator's {@link #name()} (or Python's {@code
   *     SharedMemory.name}) gives it
   * @return the block, mapped in this process
   * @throws IllegalArgumentException if there is no such block
   */
  public static SharedMemory attach(String name) {
    return attach(DEFAULT_DIR, name);
  }

  /**
   * As {@link #attach(String)}, in {@code dir} instead of {@code /dev/shm}.
   *
   * @param dir the directory that holds blocks
   * @param name the block's name
   * @return the block, mapped in this process
   * @throws IllegalArgumentException if there is no such block, or its size is 0 or too large
   * @throws java.io.UncheckedIOException if the file cannot be opened or mapped
   */
  public static SharedMemory attach(Path dir, String name) {
    String n = checkName(Objects.requireNonNull(name, "name"));
    Path file = Objects.requireNonNull(dir, "dir").resolve(n);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long bytes = ch.size();
      if (bytes == 0 || bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shared memory block '" + n + "' has " + bytes
            + " bytes; a block to attach has 1.." + Integer.MAX_VALUE);
      }
      return new SharedMemory(dir, n, ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no shared memory block named '" + n + "' (in " + dir + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot attach shared memory block '" + n + "' in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String checkName(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.length() > 255) {
      throw new IllegalArgumentException(
          "a shared memory block's name is 1-255 characters without '/' (Python's, without its leading '/'); got '"
              + name + "'");
    }
    return name;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * {@return the block's name, as Python's {@code SharedMemory.name} reports it (without a leading
   * slash)}
   */
  public String name() {
    return name;
  }

  /** {@return the block's size in bytes} */
  public int size() {
    return size;
  }

  /** {@return the file that holds the block ({@code /dev/shm/}<i>name</i>)} */
  public Path path() {
    return file;
  }

  /**
   * The whole block as a {@link ByteBuffer} (a new buffer object each call, position 0, limit the
   * size, native byte order), for plain reads and writes; Python's {@code SharedMemory.buf}.
   *
   * @return a buffer over the whole block
   * @throws IllegalStateException if this block is closed in this process
   */
  public ByteBuffer buffer() {
    return mapped().duplicate().order(ByteOrder.nativeOrder());
  }

  /**
   * {@return a view of the whole block as longs ({@code size / 8} of them; trailing bytes left
   * out)}
   *
   * @throws IllegalStateException if this block is closed in this process
   */
  public LongArrayView longs() {
    return longs(0, size / Long.BYTES);
  }

  /**
   * {@return a view of {@code length} longs from byte {@code offset}}
   *
   * @param offset the view's first byte in the block, a multiple of 8
   * @param length the number of longs
   * @throws IllegalStateException if this block is closed in this process
   * @throws IllegalArgumentException if the view does not fit in the block or is misaligned
   */
  public LongArrayView longs(long offset, int length) {
    return new LongArrayView(this, view(offset, length, Long.BYTES, "longs"), length);
  }

  /**
   * {@return a view of the whole block as ints ({@code size / 4} of them; trailing bytes left out)}
   *
   * @throws IllegalStateException if this block is closed in this process
   */
  public IntArrayView ints() {
    return ints(0, size / Integer.BYTES);
  }

  /**
   * {@return a view of {@code length} ints from byte {@code offset}}
   *
   * @param offset the view's first byte in the block, a multiple of 4
   * @param length the number of ints
   * @throws IllegalStateException if this block is closed in this process
   * @throws IllegalArgumentException if the view does not fit in the block or is misaligned
   */
  public IntArrayView ints(long offset, int length) {
    return new IntArrayView(this, view(offset, length, Integer.BYTES, "ints"), length);
  }

  /**
   * {@return a view of the whole block as doubles ({@code size / 8} of them; trailing bytes left
   * out)}
   *
   * @throws IllegalStateException if this block is closed in this process
   */
  public DoubleArrayView doubles() {
    return doubles(0, size / Double.BYTES);
  }

  /**
   * {@return a view of {@code length} doubles from byte {@code offset}}
   *
   * @param offset the view's first byte in the block, a multiple of 8
   * @param length the number of doubles
   * @throws IllegalStateException if this block is closed in this process
   * @throws IllegalArgumentException if the view does not fit in the block or is misaligned
   */
  public DoubleArrayView doubles(long offset, int length) {
    return new DoubleArrayView(this, view(offset, length, Double.BYTES, "doubles"), length);
  }

  /** The part of the block a typed view covers, checked against the block's size and alignment. */
  private ByteBuffer view(long offset, int length, int width, String what) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative, got " + offset + ", " + length);
    }
    if (offset % width != 0) {
      throw new IllegalArgumentException("a view of " + what + " starts at a multiple of " + width
          + " bytes (atomic access needs it), got offset " + offset);
    }
    long end = offset + (long) length * width;
    if (end > size) {
      throw new IllegalArgumentException("a view of " + length + " " + what + " at offset " + offset + " needs "
          + end + " bytes; shared memory block '" + name + "' has " + size);
    }
    return mapped().slice((int) offset, length * width).order(ByteOrder.nativeOrder());
  }

  MappedByteBuffer mapped() {
    MappedByteBuffer b = buffer;
    if (b == null) {
      throw new IllegalStateException("shared memory block '" + name + "' is closed in this process");
    }
    return b;
  }

  /**
   * {@return the block's cross-process lock (one per block and process)} It serializes updates that
   * are not one atomic operation. See {@link BlockLock}.
   *
   * @throws IllegalStateException if this block is closed in this process
   */
  public BlockLock lock() {
    BlockLock l = lock;
    if (l == null) {
      synchronized (this) {
        if (lock == null) {
          mapped();
          lock = BlockLock.of(file);
        }
        l = lock;
      }
    }
    return l;
  }

  /**
   * Removes the block's name (and its lock file): no process can attach any more, and the memory
   * is freed once every process that has it mapped has closed it (or exited). Python's {@code
   * unlink()}; the creator calls it, once.
   *
   * @throws IllegalStateException if the name is already gone
   */
  public void unlink() {
    try {
      Files.delete(file);
      Files.deleteIfExists(BlockLock.lockFile(file));
      BlockLock.forget(file);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("shared memory block '" + name + "' is already unlinked");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlink shared memory block '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * Closes the block in this process: no buffer, view or lock is made from it any more (those made
   * before keep working, and keep the mapping, until unreachable). The block itself lives on until
   * unlinked. Idempotent.
   */
  @Override
  public void close() {
    buffer = null;
  }

  @Override
  public String toString() {
    return "SharedMemory[" + name + ", " + size + " bytes" + (buffer == null ? ", closed" : "") + "]";
  }
}
