package io.jmanager.pool;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jmanager.client.RemoteException;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.WireKryo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pool and its workers say to each other, as bytes in the daemon's queues. The daemon
 * stores and hands over the bytes without reading them; only the pool and its workers, with the
 * caller's classpath, decode them.
 *
 * <p>Items and results are written as jmanager writes values (Kryo, as in a shared dict: compact
 * and fast; any class of the classpath). The caller's function, the initializer and JDK exceptions
 * travel by Java serialization, the one way to send a lambda or method reference by name; a
 * chunk carries its job's function as those bytes, which a worker decodes once per job.
 */
final class PoolMessages {
  private static final byte CHUNK = 1, DONE = 2, STARTED = 3, GONE = 4, JOINED = 5, INIT_FAILED = 6, STOP = 7;
  private static final byte VALUE = 0, FAILED = 1;
  /** How a list of values is written: each with its class, or all of one common type, bare. */
  private static final byte ANY = 0, INTS = 1, LONGS = 2, DOUBLES = 3, STRINGS = 4;

  /** Kryo instances are not thread-safe: one per thread (the caller's, the reader's, a worker's). */
  private static final ThreadLocal<Kryo> KRYO = ThreadLocal.withInitial(
      () -> WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY));

  private PoolMessages() {}

  /** Items {@code firstIndex..} of job {@code job}, for the function {@code fn} (Java-serialized) of {@code arity} arguments. */
  record Chunk(long job, long firstIndex, byte[] fn, int arity, List<?> items) {}

  /** The outcomes of a chunk, in order: each a result, or a {@link Failed}. */
  record Done(int worker, long job, long firstIndex, List<Object> outcomes) {}

  /**
   * Worker {@code worker} took chunk {@code firstIndex} of job {@code job} and runs it now: sent,
   * and stored by the daemon, before the chunk's first task starts.
   */
  record Started(int worker, long job, long firstIndex) {}

  /** Put by the pool itself after worker {@code worker} exited with {@code exitCode}: all it sent is read. */
  record Gone(int worker, int exitCode) {}

  /** A worker on another host joined the pool as {@code worker}, holding its liveness lock. */
  record Joined(int worker, long pid, String host) {}

  /** Worker {@code worker}'s initializer threw: the pool cannot run tasks. */
  record InitFailed(int worker, Failed failure) {}

  /** Tells a worker to exit; tells the pool's reader to stop. */
  record Stop() {}

  /** A task threw: a JDK exception travels as itself ({@code jdk}, Java-serialized), any other only described. */
  record Failed(String type, String message, String stack, byte[] jdk) {
    static Failed of(Throwable t) {
      StringWriter stack = new StringWriter();
      t.printStackTrace(new PrintWriter(stack));
      String name = t.getClass().getName();
      byte[] itself = null;
      if (name.startsWith("java.") || name.startsWith("javax.")) {
        try {
          itself = javaSerialized(t);
        } catch (IllegalArgumentException unserializableCause) {
          // a JDK exception with a cause that cannot travel: described only
        }
      }
      return new Failed(name, t.getMessage(), stack.toString(), itself);
    }

    /** The exception the caller gets: the JDK exception itself, with the worker's stack, or a RemoteException. */
    Throwable toThrowable() {
      return jdk != null ? (Throwable) javaDeserialized(jdk) : new RemoteException(type, message, stack);
    }
  }

  // ---- encoding

  static byte[] encode(Object message) {
    Kryo kryo = KRYO.get();
    Output out = new Output(initialSize(message), -1);
    try {
      if (message instanceof Chunk c) {
        out.writeByte(CHUNK);
        out.writeVarLong(c.job(), true);
        out.writeVarLong(c.firstIndex(), true);
        out.writeVarInt(c.arity(), true);
        out.writeVarInt(c.fn().length, true);
        out.writeBytes(c.fn());
        writeValues(kryo, out, c.items());
      } else if (message instanceof Done d) {
        out.writeByte(DONE);
        out.writeVarInt(d.worker(), true);
        out.writeVarLong(d.job(), true);
        out.writeVarLong(d.firstIndex(), true);
        if (d.outcomes().stream().noneMatch(o -> o instanceof Failed)) {
          out.writeByte(VALUE); // no failure: the values as a list
          writeValues(kryo, out, d.outcomes());
        } else {
          out.writeByte(FAILED);
          out.writeVarInt(d.outcomes().size(), true);
          for (Object o : d.outcomes()) {
            if (o instanceof Failed f) {
              out.writeByte(FAILED);
              writeFailed(out, f);
            } else {
              out.writeByte(VALUE);
              kryo.writeClassAndObject(out, o);
            }
          }
        }
      } else if (message instanceof Started s) {
        out.writeByte(STARTED);
        out.writeVarInt(s.worker(), true);
        out.writeVarLong(s.job(), true);
        out.writeVarLong(s.firstIndex(), true);
      } else if (message instanceof Gone g) {
        out.writeByte(GONE);
        out.writeVarInt(g.worker(), true);
        out.writeInt(g.exitCode());
      } else if (message instanceof Joined j) {
        out.writeByte(JOINED);
        out.writeVarInt(j.worker(), true);
        out.writeVarLong(j.pid(), true);
        out.writeString(j.host());
      } else if (message instanceof InitFailed f) {
        out.writeByte(INIT_FAILED);
        out.writeVarInt(f.worker(), true);
        writeFailed(out, f.failure());
      } else if (message instanceof Stop) {
        out.writeByte(STOP);
      } else {
        throw new IllegalArgumentException("not a pool message: " + message);
      }
    } catch (KryoException e) {
      throw new IllegalArgumentException("cannot be sent: " + e.getMessage(), e);
    }
    return out.toBytes();
  }

  /**
   * A list of values: bare when all are of one common type (ints, longs, doubles or strings, as
   * pool tasks' items and results often are: a fifth of the bytes and of the time), else each with
   * its class.
   */
  private static void writeValues(Kryo kryo, Output out, List<?> values) {
    Object first = values.isEmpty() ? null : values.get(0);
    Class<?> type = first == null ? null : first.getClass();
    byte kind = type == Integer.class ? INTS : type == Long.class ? LONGS : type == Double.class ? DOUBLES
        : type == String.class ? STRINGS : ANY;
    int start = out.position();
    out.writeByte(kind);
    out.writeVarInt(values.size(), true);
    for (Object v : values) {
      if (kind != ANY && (v == null || v.getClass() != type)) { // not of one type after all: each with its class
        out.setPosition(start);
        out.writeByte(ANY);
        out.writeVarInt(values.size(), true);
        values.forEach(each -> kryo.writeClassAndObject(out, each));
        return;
      }
      switch (kind) {
        case INTS -> out.writeVarInt((Integer) v, false);
        case LONGS -> out.writeVarLong((Long) v, false);
        case DOUBLES -> out.writeDouble((Double) v);
        case STRINGS -> out.writeString((String) v);
        default -> kryo.writeClassAndObject(out, v);
      }
    }
  }

  /** A first buffer for {@code message}: its items or outcomes at a few bytes each, so that it seldom grows. */
  private static int initialSize(Object message) {
    if (message instanceof Chunk c) {
      return 64 + c.fn().length + 6 * c.items().size();
    }
    return message instanceof Done d ? 64 + 6 * d.outcomes().size() : 256;
  }

  private static List<Object> readValues(Kryo kryo, Input in) {
    byte kind = in.readByte();
    int n = in.readVarInt(true);
    List<Object> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(switch (kind) {
        case INTS -> in.readVarInt(false);
        case LONGS -> in.readVarLong(false);
        case DOUBLES -> in.readDouble();
        case STRINGS -> in.readString();
        default -> kryo.readClassAndObject(in);
      });
    }
    return values;
  }

  private static void writeFailed(Output out, Failed f) {
    out.writeString(f.type());
    out.writeString(f.message());
    out.writeString(f.stack());
    out.writeVarInt(f.jdk() == null ? -1 : f.jdk().length, false);
    if (f.jdk() != null) {
      out.writeBytes(f.jdk());
    }
  }

  static Object decode(byte[] bytes) {
    Kryo kryo = KRYO.get();
    Input in = new Input(bytes);
    try {
      byte type = in.readByte();
      switch (type) {
        case CHUNK -> {
          long job = in.readVarLong(true);
          long first = in.readVarLong(true);
          int arity = in.readVarInt(true);
          byte[] fn = in.readBytes(in.readVarInt(true));
          return new Chunk(job, first, fn, arity, readValues(kryo, in));
        }
        case DONE -> {
          int worker = in.readVarInt(true);
          long job = in.readVarLong(true);
          long first = in.readVarLong(true);
          if (in.readByte() == VALUE) {
            return new Done(worker, job, first, readValues(kryo, in));
          }
          int n = in.readVarInt(true);
          List<Object> outcomes = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            outcomes.add(in.readByte() == FAILED ? readFailed(in) : kryo.readClassAndObject(in));
          }
          return new Done(worker, job, first, outcomes);
        }
        case STARTED -> {
          return new Started(in.readVarInt(true), in.readVarLong(true), in.readVarLong(true));
        }
        case GONE -> {
          return new Gone(in.readVarInt(true), in.readInt());
        }
        case JOINED -> {
          return new Joined(in.readVarInt(true), in.readVarLong(true), in.readString());
        }
        case INIT_FAILED -> {
          return new InitFailed(in.readVarInt(true), readFailed(in));
        }
        case STOP -> {
          return new Stop();
        }
        default -> throw new IllegalStateException("not a pool message (type " + type + ")");
      }
    } catch (KryoException e) {
      throw new IllegalStateException("cannot decode a pool message: " + e.getMessage(), e);
    }
  }

  private static Failed readFailed(Input in) {
    String type = in.readString();
    String message = in.readString();
    String stack = in.readString();
    int n = in.readVarInt(false);
    return new Failed(type, message, stack, n < 0 ? null : in.readBytes(n));
  }

  // ---- Java serialization: functions, the initializer, JDK exceptions

  static byte[] javaSerialized(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("not serializable: " + e.getMessage()
          + " (a pool's functions travel by Java serialization, with what they capture)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Object javaDeserialized(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot decode a function or exception of the pool: " + e, e);
    }
  }
}
