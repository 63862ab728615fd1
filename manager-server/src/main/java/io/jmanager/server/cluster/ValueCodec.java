package io.jmanager.server.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;

/**
 * Keys and values as the cluster stores them: jmanager's Kryo bytes, written with the daemon's
 * Kryo and read back through its allowlist and {@code max.depth}, as live calls are. Equal keys
 * make equal bytes (Hazelcast compares and partitions keys by their bytes) for the value types
 * keys are made of: strings, numbers, enums, records and lists of them.
 */
public final class ValueCodec {
  private final Supplier<Kryo> kryos;
  private final int maxBytes;
  private final int maxDepth;
  private final ThreadLocal<State> state;

  private final class State {
    final Kryo kryo = kryos.get();
    final Output output = new Output(256, maxBytes);
    final Input input = new Input();
  }

  /**
   * A codec whose threads each make their own Kryo from {@code kryos}.
   *
   * @param kryos makes a Kryo as the wire's (allowlist, user classes)
   * @param maxBytes the largest encoded value ({@code max.frame.bytes})
   * @param maxDepth the deepest value read back ({@code max.depth})
   */
  public ValueCodec(Supplier<Kryo> kryos, int maxBytes, int maxDepth) {
    this.kryos = kryos;
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.state = ThreadLocal.withInitial(State::new);
  }

  /** {@return the bytes of {@code value}, or null for null} */
  public byte[] encode(Object value) {
    if (value == null) {
      return null;
    }
    State s = state.get();
    s.output.reset();
    try {
      s.kryo.writeClassAndObject(s.output, value);
    } catch (RuntimeException e) {
      state.remove(); // a failed write can leave a Kryo in a bad state
      throw e;
    }
    return s.output.toBytes();
  }

  /** {@return the value {@code bytes} encode, or null for null} */
  public Object decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    State s = state.get();
    s.input.setBuffer(bytes);
    s.kryo.setMaxDepth(maxDepth + 1);
    try {
      return s.kryo.readClassAndObject(s.input);
    } catch (RuntimeException e) {
      state.remove();
      throw e;
    }
  }
}
