package io.jmanager.pool;

import io.jmanager.client.RemoteException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What a pool and its workers say to each other, as bytes in the daemon's queues: Java
 * serialization of these records, which carry the caller's functions, items and results. The
 * daemon stores and hands over the bytes without reading them; only the pool and its workers, with
 * the caller's classpath, decode them.
 */
final class PoolMessages {
  private PoolMessages() {}

  /** Items {@code firstIndex..} of job {@code job}, for {@code fn} of {@code arity} arguments. */
  record Chunk(long job, long firstIndex, Serializable fn, int arity, List<?> items) implements Serializable {}

  /**
   * Worker {@code worker} took chunk {@code firstIndex} of job {@code job} and runs it now: sent,
   * and stored by the daemon, before the chunk's first task starts.
   */
  record Started(int worker, long job, long firstIndex) implements Serializable {}

  /** The outcomes of a chunk, in order: each a result, or a {@link Failed}. */
  record Done(int worker, long job, long firstIndex, List<Object> outcomes) implements Serializable {}

  /** A task threw {@code jdk} (a JDK exception, sent as itself), or a type only described. */
  record Failed(Throwable jdk, String type, String message, String stack) implements Serializable {
    static Failed of(Throwable t) {
      StringWriter stack = new StringWriter();
      t.printStackTrace(new PrintWriter(stack));
      boolean jdkType = t.getClass().getName().startsWith("java.") || t.getClass().getName().startsWith("javax.");
      Failed f = new Failed(jdkType ? t : null, t.getClass().getName(), t.getMessage(), stack.toString());
      try {
        encode(f); // a JDK exception may carry an unserializable cause: then describe it only
        return f;
      } catch (RuntimeException notSerializable) {
        return new Failed(null, f.type(), f.message(), f.stack());
      }
    }

    /** The exception the caller gets: the JDK exception itself, with the worker's stack, or a RemoteException. */
    Throwable toThrowable() {
      return jdk != null ? jdk : new RemoteException(type, message, stack);
    }
  }

  /** A worker on another host joined the pool as {@code worker}, holding its liveness lock. */
  record Joined(int worker, long pid, String host) implements Serializable {}

  /** Worker {@code worker}'s initializer threw: the pool cannot run tasks. */
  record InitFailed(int worker, Failed failure) implements Serializable {}

  /** Put by the pool itself after worker {@code worker} exited with {@code exitCode}: all it sent is read. */
  record Gone(int worker, int exitCode) implements Serializable {}

  /** Tells a worker to exit; tells the pool's reader to stop. */
  record Stop() implements Serializable {}

  static byte[] encode(Object message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(message);
    } catch (java.io.NotSerializableException e) {
      throw new IllegalArgumentException("not serializable: " + e.getMessage()
          + " (a pool's functions, items and results travel by Java serialization)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Object decode(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot decode a pool message: " + e, e);
    }
  }
}
