package io.jmanager.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import io.jmanager.wire.Message.Auth;
import io.jmanager.wire.Message.Bind;
import io.jmanager.wire.Message.Bound;
import io.jmanager.wire.Message.Call;
import io.jmanager.wire.Message.Cancel;
import io.jmanager.wire.Message.Denied;
import io.jmanager.wire.Message.Failure;
import io.jmanager.wire.Message.Hello;
import io.jmanager.wire.Message.Ping;
import io.jmanager.wire.Message.Pong;
import io.jmanager.wire.Message.Reply;
import io.jmanager.wire.Message.Welcome;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.lang.reflect.InvocationHandler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The one place where Kryo is configured for the wire: wire messages and common JDK types are
 * registered with fixed ids (written as small numbers), API value types are registered next in
 * the order the caller gives, and any other class travels by name and is checked against a
 * {@link ClassAllowlist} on the reading side before it is loaded.
 *
 * <p>A {@link Kryo} instance is not thread-safe: each channel codec owns one, and callers that
 * encode off the event loop take one from a pool.
 */
public final class WireKryo {
  private WireKryo() {}

  /**
   * How shared objects travel as values. A proxy is written as an {@link ObjectRef} wherever it
   * sits in a graph (top level, in a list, in a map); the reading side decides what the ref
   * becomes: a live proxy bound to its own connection (client) or the ref itself (daemon).
   */
  public interface RefResolver {
    /**
     * {@return the reference for {@code proxy}: its object's typeid and name}
     *
     * @param proxy a {@code java.lang.reflect.Proxy} instance found in a value being written
     * @throws IllegalArgumentException if this side cannot send proxies, or {@code proxy} is not
     *     one of its own
     */
    ObjectRef toRef(Object proxy);

    /**
     * {@return what a reference read off the wire becomes: a proxy, or the reference itself}
     *
     * @param ref the reference read
     */
    Object resolve(ObjectRef ref);

    /** The daemon's resolver: refs stay refs; nothing on the daemon is a proxy. */
    RefResolver IDENTITY =
        new RefResolver() {
          @Override
          public ObjectRef toRef(Object proxy) {
            throw new IllegalArgumentException("cannot serialize " + proxy.getClass().getName());
          }

          @Override
          public Object resolve(ObjectRef ref) {
            return ref;
          }
        };
  }

  /** A handshake message's fixed registration id and its serializer, which needs no Kryo instance. */
  record HandshakeType(int id, Serializer<? extends Message> serializer) {}

  /**
   * The handshake messages. Their serializers read and write fixed, bounded layouts and never
   * touch the {@link Kryo} they are given, so {@link WireCodec} handles a connection's handshake
   * without building a Kryo instance: an unauthenticated peer costs no more than its buffers.
   */
  static final Map<Class<? extends Message>, HandshakeType> HANDSHAKE = Map.of(
      Hello.class, new HandshakeType(20, new HelloSerializer()),
      Auth.class, new HandshakeType(21, new AuthSerializer()),
      Welcome.class, new HandshakeType(22, new WelcomeSerializer()),
      Denied.class, new HandshakeType(23, new DeniedSerializer()));

  /**
   * A Kryo for one reader/writer. {@code apiTypes} must be the same list, in the same order, on
   * both sides of a connection.
   *
   * @param allowlist the classes that may be read by name
   * @param apiTypes API value types to register after the wire's own, in order
   *     ({@code BuiltinTypes.API_VALUE_TYPES})
   * @param refs how proxies are written and references read
   * @return a new, configured {@link Kryo}; not thread-safe
   */
  public static Kryo create(ClassAllowlist allowlist, List<Class<?>> apiTypes, RefResolver refs) {
    Kryo kryo = new Kryo(new AllowlistClassResolver(allowlist), new MapReferenceResolver());
    kryo.setRegistrationRequired(false);
    kryo.setReferences(false);
    kryo.setWarnUnregisteredClasses(false);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    BoundedSerializers.addDefaults(kryo);

    // wire messages: 20..39 (the handshake's four, 20..23, from HANDSHAKE)
    HANDSHAKE.forEach((type, h) -> kryo.register(type, h.serializer(), h.id()));
    kryo.register(Call.class, new CallSerializer(), 24);
    kryo.register(Reply.class, new ReplySerializer(), 25);
    kryo.register(Failure.class, new RecordSerializer<>(Failure.class), 26);
    kryo.register(Bind.class, new BindSerializer(), 27);
    kryo.register(Bound.class, new RecordSerializer<>(Bound.class), 28);
    kryo.register(Cancel.class, new RecordSerializer<>(Cancel.class), 29);
    kryo.register(Ping.class, new RecordSerializer<>(Ping.class), 30);
    kryo.register(Pong.class, new RecordSerializer<>(Pong.class), 31);
    RefSerializer refSerializer = new RefSerializer(refs);
    kryo.register(ObjectRef.class, refSerializer, 32);
    // Kryo gives every java.lang.reflect.Proxy class the registration of InvocationHandler
    kryo.register(InvocationHandler.class, refSerializer, 33);

    // arrays: 40..59
    kryo.register(Object[].class, 40);
    kryo.register(byte[].class, 41);
    kryo.register(int[].class, 42);
    kryo.register(long[].class, 43);
    kryo.register(double[].class, 44);
    kryo.register(boolean[].class, 45);
    kryo.register(char[].class, 46);
    kryo.register(short[].class, 47);
    kryo.register(float[].class, 48);
    kryo.register(String[].class, 49);

    // JDK collections and values: 60..119
    kryo.register(ArrayList.class, 60);
    kryo.register(LinkedList.class, 61);
    kryo.register(HashMap.class, 62);
    kryo.register(LinkedHashMap.class, 63);
    kryo.register(TreeMap.class, 64);
    kryo.register(HashSet.class, 65);
    kryo.register(LinkedHashSet.class, 66);
    kryo.register(TreeSet.class, 67);
    kryo.register(ArrayDeque.class, 68);
    kryo.register(ConcurrentHashMap.class, 69);
    kryo.register(Collections.emptyList().getClass(), new DefaultSerializers.CollectionsEmptyListSerializer(), 70);
    kryo.register(Collections.emptyMap().getClass(), new DefaultSerializers.CollectionsEmptyMapSerializer(), 71);
    kryo.register(Collections.emptySet().getClass(), new DefaultSerializers.CollectionsEmptySetSerializer(), 72);
    kryo.register(Collections.singletonList(0).getClass(), new DefaultSerializers.CollectionsSingletonListSerializer(), 73);
    kryo.register(Collections.singletonMap(0, 0).getClass(), new DefaultSerializers.CollectionsSingletonMapSerializer(), 74);
    kryo.register(Collections.singleton(0).getClass(), new DefaultSerializers.CollectionsSingletonSetSerializer(), 75);
    kryo.register(Arrays.asList(0).getClass(), new BoundedSerializers.ArraysAsLists(), 76);
    kryo.register(
        Collections.unmodifiableList(new ArrayList<>()).getClass(),
        new CopyingListSerializer(a -> Collections.unmodifiableList(new ArrayList<>(Arrays.asList(a)))),
        77);
    kryo.register(
        Collections.unmodifiableList(new LinkedList<>()).getClass(),
        new CopyingListSerializer(a -> Collections.unmodifiableList(new ArrayList<>(Arrays.asList(a)))),
        78);
    kryo.register(
        Collections.unmodifiableSet(new HashSet<>()).getClass(),
        new CopyingListSerializer(a -> Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(a)))),
        79);
    kryo.register(
        Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
        new CopyingListSerializer(a -> Collections.unmodifiableCollection(new ArrayList<>(Arrays.asList(a)))),
        80);
    kryo.register(AbstractMap.SimpleImmutableEntry.class, new EntrySerializer(true), 81);
    kryo.register(AbstractMap.SimpleEntry.class, new EntrySerializer(false), 82);
    kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), 90);
    kryo.register(BigDecimal.class, new DefaultSerializers.BigDecimalSerializer(), 91);
    kryo.register(BigInteger.class, new DefaultSerializers.BigIntegerSerializer(), 92);
    kryo.register(Date.class, new DefaultSerializers.DateSerializer(), 93);
    kryo.register(URI.class, new DefaultSerializers.URISerializer(), 94);
    kryo.register(Duration.class, new TimeSerializers.DurationSerializer(), 95);
    kryo.register(Instant.class, new TimeSerializers.InstantSerializer(), 96);
    kryo.register(LocalDate.class, new TimeSerializers.LocalDateSerializer(), 97);
    kryo.register(LocalTime.class, new TimeSerializers.LocalTimeSerializer(), 98);
    kryo.register(LocalDateTime.class, new TimeSerializers.LocalDateTimeSerializer(), 99);
    kryo.register(ZonedDateTime.class, new TimeSerializers.ZonedDateTimeSerializer(), 100);
    kryo.register(OffsetDateTime.class, new TimeSerializers.OffsetDateTimeSerializer(), 101);
    kryo.register(TimeUnit.class, new DefaultSerializers.EnumSerializer(TimeUnit.class), 102);

    // List.of / Set.of / Map.of implementation classes, then the caller's API value types
    ImmutableCollectionsSerializers.registerSerializers(kryo); // their ids
    BoundedSerializers.replaceImmutables(kryo);
    int id = 200;
    for (Class<?> type : apiTypes) {
      if (type.isRecord()) {
        kryo.register(type, new RecordSerializer<>(type), id++);
      } else if (Collection.class.isAssignableFrom(type)) {
        kryo.register(type, new CopyingListSerializer(copyOf(type)), id++);
      } else {
        kryo.register(type, id++);
      }
    }
    return kryo;
  }

  /** Resolves classes written by name only if the allowlist accepts them, before loading them. */
  private static final class AllowlistClassResolver extends DefaultClassResolver {
    private final ClassAllowlist allowlist;

    AllowlistClassResolver(ClassAllowlist allowlist) {
      this.allowlist = allowlist;
    }

    @Override
    protected Class<?> getTypeByName(String className) {
      if (!allowlist.allows(className)) {
        throw new ClassNotAllowedException(className);
      }
      return super.getTypeByName(className);
    }
  }

  static void writeValues(Kryo kryo, Output out, Object[] values) {
    if (values == null) {
      out.writeVarInt(0, true);
      return;
    }
    out.writeVarInt(values.length + 1, true);
    for (Object v : values) {
      kryo.writeClassAndObject(out, v);
    }
  }

  static Object[] readValues(Kryo kryo, Input in) {
    int n = in.readVarInt(true);
    if (n == 0) {
      return null;
    }
    FrameInput.claim(in, n - 1L);
    Object[] values = new Object[n - 1];
    for (int i = 0; i < values.length; i++) {
      values[i] = kryo.readClassAndObject(in);
    }
    return values;
  }

  /** Wraps any failure to read a payload so the caller can answer just that call. */
  static RuntimeException unreadable(Throwable e) {
    if (e instanceof StackOverflowError) {
      return tooDeep("read");
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof LengthLimitException limit) {
        return new IllegalArgumentException(limit.getMessage()); // a JDK type: the caller rebuilds it
      }
      if (c instanceof KryoException k && k.getMessage() != null && k.getMessage().startsWith("Max depth exceeded")) {
        return new IllegalArgumentException("a value nested too deeply (more levels than the daemon's max.depth allows)");
      }
    }
    return e instanceof KryoException && e.getCause() instanceof ClassNotAllowedException
        ? (ClassNotAllowedException) e.getCause()
        : (RuntimeException) e;
  }

  /**
   * What a value nested deeper than the thread's stack allows becomes: an argument error for that
   * one call (the frame was whole, so the connection goes on).
   */
  static IllegalArgumentException tooDeep(String verb) {
    return new IllegalArgumentException("a value nested too deeply to " + verb + " (stack overflow)");
  }

  // ---- handshake messages: read before the peer is trusted, so every length is bounded

  private static final int MAX_HANDSHAKE_FIELD = 256;

  static void writeBytes(Output out, byte[] b) {
    out.writeVarInt(b.length, true);
    out.writeBytes(b);
  }

  static byte[] readBoundedBytes(Input in) {
    int n = in.readVarInt(true);
    if (n > MAX_HANDSHAKE_FIELD) {
      throw new KryoException("handshake field of " + n + " bytes (at most " + MAX_HANDSHAKE_FIELD + ")");
    }
    return in.readBytes(n);
  }

  private static final class HelloSerializer extends Serializer<Hello> {
    @Override
    public void write(Kryo kryo, Output out, Hello m) {
      out.writeInt(m.protocolVersion());
      writeBytes(out, m.serverNonce());
    }

    @Override
    public Hello read(Kryo kryo, Input in, Class<? extends Hello> type) {
      return new Hello(in.readInt(), readBoundedBytes(in));
    }
  }

  private static final class AuthSerializer extends Serializer<Auth> {
    @Override
    public void write(Kryo kryo, Output out, Auth m) {
      writeBytes(out, m.proof());
      writeBytes(out, m.clientNonce());
      out.writeVarLong(m.pid(), true);
    }

    @Override
    public Auth read(Kryo kryo, Input in, Class<? extends Auth> type) {
      return new Auth(readBoundedBytes(in), readBoundedBytes(in), in.readVarLong(true));
    }
  }

  private static final class WelcomeSerializer extends Serializer<Welcome> {
    @Override
    public void write(Kryo kryo, Output out, Welcome m) {
      out.writeVarLong(m.sessionId(), true);
      writeBytes(out, m.proof());
      out.writeVarInt(m.heartbeatMillis(), true);
      out.writeVarInt(m.heartbeatTimeoutMillis(), true);
      out.writeVarInt(m.callTimeoutMillis(), true);
      out.writeVarInt(m.maxFrameBytes(), true);
      out.writeLong(m.daemonId());
      writeBytes(out, m.unixPath().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public Welcome read(Kryo kryo, Input in, Class<? extends Welcome> type) {
      return new Welcome(in.readVarLong(true), readBoundedBytes(in), in.readVarInt(true), in.readVarInt(true),
          in.readVarInt(true), in.readVarInt(true), in.readLong(),
          new String(readBoundedBytes(in), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static final class DeniedSerializer extends Serializer<Denied> {
    @Override
    public void write(Kryo kryo, Output out, Denied m) {
      byte[] reason = m.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      writeBytes(out, java.util.Arrays.copyOf(reason, Math.min(reason.length, MAX_HANDSHAKE_FIELD)));
    }

    @Override
    public Denied read(Kryo kryo, Input in, Class<? extends Denied> type) {
      return new Denied(new String(readBoundedBytes(in), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Header first, then the arguments: a bad argument yields {@link Message.Unreadable}. */
  private static final class CallSerializer extends Serializer<Message> {
    @Override
    public void write(Kryo kryo, Output out, Message m) {
      Call c = (Call) m;
      out.writeVarLong(c.callId(), true);
      out.writeVarInt(c.objectId(), true);
      out.writeVarInt(c.methodId(), true);
      out.writeVarLong(c.thread(), true);
      writeValues(kryo, out, c.args());
    }

    @Override
    public Message read(Kryo kryo, Input in, Class<? extends Message> type) {
      long callId = in.readVarLong(true);
      int objectId = in.readVarInt(true);
      int methodId = in.readVarInt(true);
      long thread = in.readVarLong(true);
      try {
        return new Call(callId, objectId, methodId, readValues(kryo, in), thread);
      } catch (RuntimeException | StackOverflowError e) {
        return new Message.Unreadable(callId, unreadable(e));
      }
    }
  }

  private static final class ReplySerializer extends Serializer<Message> {
    @Override
    public void write(Kryo kryo, Output out, Message m) {
      Reply r = (Reply) m;
      out.writeVarLong(r.callId(), true);
      kryo.writeClassAndObject(out, r.value());
    }

    @Override
    public Message read(Kryo kryo, Input in, Class<? extends Message> type) {
      long callId = in.readVarLong(true);
      try {
        return new Reply(callId, kryo.readClassAndObject(in));
      } catch (RuntimeException | StackOverflowError e) {
        return new Message.Unreadable(callId, unreadable(e));
      }
    }
  }

  private static final class BindSerializer extends Serializer<Message> {
    @Override
    public void write(Kryo kryo, Output out, Message m) {
      Bind b = (Bind) m;
      out.writeVarLong(b.callId(), true);
      out.writeString(b.typeid());
      out.writeString(b.name());
      out.writeInt(b.tableHash());
      writeValues(kryo, out, b.params());
    }

    @Override
    public Message read(Kryo kryo, Input in, Class<? extends Message> type) {
      long callId = in.readVarLong(true);
      String typeid = in.readString();
      String name = in.readString();
      int tableHash = in.readInt();
      try {
        return new Bind(callId, typeid, name, readValues(kryo, in), tableHash);
      } catch (RuntimeException | StackOverflowError e) {
        return new Message.Unreadable(callId, unreadable(e));
      }
    }
  }

  /** Writes proxies and refs alike as (typeid, name); reads them through the {@link RefResolver}. */
  private static final class RefSerializer extends Serializer<Object> {
    private final RefResolver refs;

    RefSerializer(RefResolver refs) {
      this.refs = refs;
    }

    @Override
    public void write(Kryo kryo, Output out, Object value) {
      ObjectRef ref = value instanceof ObjectRef ? (ObjectRef) value : refs.toRef(value);
      out.writeString(ref.typeid());
      out.writeString(ref.name());
    }

    @Override
    public Object read(Kryo kryo, Input in, Class<?> type) {
      return refs.resolve(new ObjectRef(in.readString(), in.readString()));
    }
  }

  /** Lists without a usable no-arg constructor: written as elements, rebuilt by a factory. */
  /**
   * How an API value type that is a collection is rebuilt: written as its elements, read back
   * through its public static {@code copyOf(Collection)}.
   */
  private static Function<Object[], Collection<?>> copyOf(Class<?> type) {
    java.lang.invoke.MethodHandle copyOf;
    try {
      copyOf = java.lang.invoke.MethodHandles.publicLookup().findStatic(type, "copyOf",
          java.lang.invoke.MethodType.methodType(type, Collection.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type.getName() + " is a collection without a static copyOf(Collection)", e);
    }
    return a -> {
      try {
        return (Collection<?>) copyOf.invoke(Arrays.asList(a));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static final class CopyingListSerializer extends Serializer<Collection<?>> {
    private final Function<Object[], Collection<?>> factory;

    CopyingListSerializer(Function<Object[], Collection<?>> factory) {
      this.factory = factory;
    }

    @Override
    public void write(Kryo kryo, Output out, Collection<?> c) {
      out.writeVarInt(c.size(), true);
      for (Object e : c) {
        kryo.writeClassAndObject(out, e);
      }
    }

    @Override
    public Collection<?> read(Kryo kryo, Input in, Class<? extends Collection<?>> type) {
      int n = in.readVarInt(true);
      FrameInput.claim(in, n);
      Object[] a = new Object[n];
      for (int i = 0; i < a.length; i++) {
        a[i] = kryo.readClassAndObject(in);
      }
      return factory.apply(a);
    }
  }

  private static final class EntrySerializer extends Serializer<Map.Entry<?, ?>> {
    private final boolean immutable;

    EntrySerializer(boolean immutable) {
      this.immutable = immutable;
    }

    @Override
    public void write(Kryo kryo, Output out, Map.Entry<?, ?> e) {
      kryo.writeClassAndObject(out, e.getKey());
      kryo.writeClassAndObject(out, e.getValue());
    }

    @Override
    public Map.Entry<?, ?> read(Kryo kryo, Input in, Class<? extends Map.Entry<?, ?>> type) {
      Object k = kryo.readClassAndObject(in);
      Object v = kryo.readClassAndObject(in);
      return immutable ? new AbstractMap.SimpleImmutableEntry<>(k, v) : new AbstractMap.SimpleEntry<>(k, v);
    }
  }

}
