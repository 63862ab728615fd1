package io.jmanager.server.journal;

/** A growable byte buffer (the records gathered for the next group commit). */
final class ByteArray {
  private byte[] bytes = new byte[1 << 16];
  private int size;

  void write(byte[] b, int n) {
    if (size + n > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
    }
    System.arraycopy(b, 0, bytes, size, n);
    size += n;
  }

  void prepend(ByteArray first) {
    byte[] merged = new byte[first.size + size];
    System.arraycopy(first.bytes, 0, merged, 0, first.size);
    System.arraycopy(bytes, 0, merged, first.size, size);
    bytes = merged;
    size = merged.length;
  }

  int size() {
    return size;
  }

  byte[] bytes() {
    return bytes;
  }

  void reset() {
    size = 0;
    if (bytes.length > 1 << 22) {
      bytes = new byte[1 << 16];
    }
  }
}
