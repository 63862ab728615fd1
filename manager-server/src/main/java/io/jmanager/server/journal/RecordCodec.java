package io.jmanager.server.journal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * The journal's record layout, one codec per thread (it owns a {@link Kryo}, which is not
 * thread-safe). On disk a record is
 *
 * <pre>
 *   int length   (big-endian: bytes after the checksum, that is 8 + body)
 *   int crc32c   (of those bytes)
 *   long seq
 *   body:        varint objectId, byte op, varint n, n operands (Kryo class and object)
 * </pre>
 *
 * The body is encoded by the thread that made the effect, outside the journal's lock; the seq
 * and the checksum are added under it. Operands are written with the wire's Kryo ({@code
 * WireKryo}), and read back through its allowlist and with the daemon's {@code max.depth}.
 */
final class RecordCodec {
  static final int HEADER_BYTES = 8;
  static final int SEQ_BYTES = 8;
  private static final int TRIM_ABOVE = 1 << 20;

  private final Supplier<Kryo> kryos;
  private final int maxDepth;
  private Kryo kryo;
  private final Output body;
  private final Input input = new Input();

  RecordCodec(Supplier<Kryo> kryos, int maxRecordBytes, int maxDepth) {
    this.kryos = kryos;
    this.maxDepth = maxDepth + 1; // as the wire: the record counts as a level
    this.body = new Output(256, HEADER_BYTES + SEQ_BYTES + maxRecordBytes);
  }

  /**
   * Encodes a record without its seq: the frame is {@code frame()[0, n)} once {@link #seal} has
   * stamped the seq and checksum, until the next call.
   *
   * @return n, the frame's length
   */
  int encode(int objectId, Op op, Object... operands) {
    if (body.getBuffer().length > TRIM_ABOVE) {
      body.setBuffer(new byte[256], body.getMaxCapacity()); // a large value's buffer is not kept for good
    }
    body.reset();
    body.setPosition(HEADER_BYTES + SEQ_BYTES);
    try {
      body.writeVarInt(objectId, true);
      body.writeByte(op.ordinal());
      body.writeVarInt(operands.length, true);
      for (Object o : operands) {
        kryo().writeClassAndObject(body, o);
      }
    } catch (RuntimeException e) {
      kryo = null; // a failed write can leave Kryo's state behind: start clean
      throw e;
    }
    return body.position();
  }

  /** Stamps {@code seq}, the length and the checksum on the frame of the last {@link #encode}. */
  void seal(long seq) {
    byte[] b = body.getBuffer();
    int n = body.position();
    for (int i = 0; i < 8; i++) {
      b[HEADER_BYTES + i] = (byte) (seq >>> (56 - 8 * i));
    }
    putInt(b, 0, n - HEADER_BYTES);
    putInt(b, 4, crc(b, HEADER_BYTES, n - HEADER_BYTES));
  }

  byte[] frame() {
    return body.getBuffer();
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /** Decodes the record in {@code buf[off, off + len)} (seq and body, no header). */
  Record decode(byte[] buf, int off, int len) {
    long seq = longAt(buf, off);
    input.setBuffer(buf, off + SEQ_BYTES, len - SEQ_BYTES);
    int objectId = input.readVarInt(true);
    Op op = Op.of(input.readByte());
    int n = input.readVarInt(true);
    if (n < 0 || n > 8) {
      throw new IllegalArgumentException("a record with " + n + " operands");
    }
    Object[] operands = new Object[n];
    Kryo k = kryo();
    k.setMaxDepth(maxDepth);
    try {
      for (int i = 0; i < n; i++) {
        operands[i] = k.readClassAndObject(input);
      }
    } catch (RuntimeException | StackOverflowError e) {
      kryo = null;
      throw e;
    }
    if (input.position() != off + len) {
      throw new IllegalArgumentException((off + len - input.position()) + " stray bytes after the record");
    }
    return new Record(seq, objectId, op, operands);
  }

  private Kryo kryo() {
    Kryo k = kryo;
    if (k == null) {
      k = kryo = kryos.get();
    }
    return k;
  }

  static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static int intAt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  static int crc(byte[] seqAndBody, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(seqAndBody, off, len);
    return (int) c.getValue();
  }
}
