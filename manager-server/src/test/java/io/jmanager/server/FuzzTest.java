package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedCache;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLongArray;
import io.jmanager.client.SharedNamespace;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.SharedValue;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.common.ManagerService;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.Handshake;
import io.jmanager.wire.Message;
import io.jmanager.wire.MethodTable;
import io.jmanager.wire.WireCodec;
import io.jmanager.wire.WireException;
import io.jmanager.wire.WireKryo;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 100,000 frames mutated from valid messages of every type (bit flips, byte overwrites,
 * truncations, length and count inflations, splices of two frames) against one daemon, from one
 * seed: no uncaught error, no event-loop thread lost, every frame answered or its connection
 * closed, the heap back to its baseline once the objects the fuzz created are deleted, and a
 * bystander's data intact and served throughout. The seed is printed; {@code -Djmanager.fuzz.seed=N}
 * replays a run, {@code -Djmanager.fuzz.frames=N} changes its length.
 */
class FuzzTest {
  private static final int FRAMES = Integer.getInteger("jmanager.fuzz.frames", 100_000);
  /** A slow machine sends fewer frames rather than holding the build up; the count is printed. */
  private static final Duration AT_MOST = Duration.ofSeconds(Long.getLong("jmanager.fuzz.seconds", 120));

  @Test
  void mutatedFrames_neverHurtTheDaemon() throws Exception {
    long seed = Long.getLong("jmanager.fuzz.seed", System.nanoTime());
    System.out.println("fuzz seed " + seed + " (replay with -Djmanager.fuzz.seed=" + seed + ")");
    List<Throwable> uncaught = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    // every mutated frame is worth a WARN line (connection closed, call unreadable): 100,000 of them
    // would bury the build's log, so the daemon logs errors only while the fuzz runs
    ch.qos.logback.classic.Logger daemonLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.jmanager.server");
    ch.qos.logback.classic.Level level = daemonLog.getLevel();
    daemonLog.setLevel(ch.qos.logback.classic.Level.ERROR);
    try (TestDaemon daemon = new TestDaemon(b -> b.maxDataBytes(256L << 20).unixPath("off")
        .heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(30)))) {
      Manager bystander = daemon.connect();
      SharedDict<String, Object> mine = bystander.dict("bystander");
      Map<String, Object> expected = Map.of("a", 1, "b", List.of("x", 2L), "c", new HashMap<>(Map.of("k", "v")));
      mine.putAll(expected);
      int bystanderId = Fuzzer.bindRaw(daemon.server.address(), daemon.authkey, "dict", "bystander", SharedDict.class);
      Set<String> namesBefore = bystander.names();
      Set<String> threadsBefore = daemonThreads();
      long heapBefore = usedHeapAfterGc();

      Fuzzer fuzzer = new Fuzzer(daemon.server.address(), daemon.authkey, new Random(seed), bystanderId, bystander);
      long started = System.nanoTime();
      try {
        fuzzer.run(FRAMES, AT_MOST, () -> assertEquals(expected, mine.copy(), "the bystander's data, during the fuzz"));
      } catch (Throwable t) {
        throw new AssertionError("fuzz seed " + seed + ": " + t, t);
      }
      System.out.printf("fuzz: %d frames in %.1f s, %d connections (%d closed by the daemon as expected)%n",
          fuzzer.sent, (System.nanoTime() - started) / 1e9, fuzzer.connections, fuzzer.closedByDaemon);

      assertEquals(expected, mine.copy(), "seed " + seed + ": the bystander's data is intact");
      assertTrue(uncaught.isEmpty(), "seed " + seed + ": uncaught " + uncaught);
      assertEquals(threadsBefore, daemonThreads(), "seed " + seed + ": no daemon thread died or leaked");
      Set<String> created = new TreeSet<>(bystander.names());
      created.removeAll(namesBefore);
      created.forEach(bystander::delete);
      long heapAfter = usedHeapAfterGc();
      System.out.printf("fuzz: heap %d MB before, %d MB after deleting the %d objects it created%n",
          heapBefore >> 20, heapAfter >> 20, created.size());
      assertTrue(heapAfter < heapBefore + (48 << 20),
          "seed " + seed + ": heap back to baseline (" + (heapBefore >> 20) + " -> " + (heapAfter >> 20) + " MB)");
      assertTrue(bystander.isConnected());
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
      daemonLog.setLevel(level);
    }
  }

  /** The daemon's long-lived threads (event loops, accept), by name. */
  private static Set<String> daemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("jmanager-io") || n.startsWith("jmanager-accept"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Runtime r = Runtime.getRuntime();
      used = Math.min(used, r.totalMemory() - r.freeMemory());
    }
    return used;
  }

  /** Makes valid frames, mutates them, and sends them over raw connections. */
  static final class Fuzzer {
    private final InetSocketAddress address;
    private final byte[] authkey;
    private final Random random;
    private final int bystanderId;
    private final Kryo kryo = WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);
    /** Reads each mutated frame as the daemon will, to know which ones it must close the connection for. */
    private final WireCodec daemonView;
    private final List<byte[]> templates = new ArrayList<>();
    private final List<byte[]> closers = new ArrayList<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Kryo> readerKryos = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Per template: where its payload (arguments, parameters) starts; most mutations hit the payload. */
    private final List<Integer> payloadStarts = new ArrayList<>();
    private final Set<Integer> forbiddenServiceMethods = new HashSet<>();
    int sent;
    int connections;
    int closedByDaemon;

    Fuzzer(InetSocketAddress address, byte[] authkey, Random random, int bystanderId, Manager m) throws Exception {
      this.address = address;
      this.authkey = authkey;
      this.random = random;
      this.bystanderId = bystanderId;
      this.daemonView = WireCodec.open(
          () -> WireKryo.create(ClassAllowlist.of(List.of()), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY),
          io.jmanager.wire.Frames.DEFAULT_MAX_FRAME_BYTES);
      daemonView.maxReadDepth(256);
      MethodTable service = MethodTable.of(ManagerService.class);
      forbiddenServiceMethods.add(service.idOf(ManagerService.class.getMethod("shutdown")));
      forbiddenServiceMethods.add(service.idOf(ManagerService.class.getMethod("delete", String.class)));
      buildTemplates(m);
    }

    /** The id of the existing object {@code name}, as a raw peer learns it: by binding it. */
    static int bindRaw(InetSocketAddress address, byte[] authkey, String typeid, String name, Class<?> iface)
        throws IOException {
      try (RawClient raw = new RawClient(address)) {
        raw.authenticate(authkey);
        raw.send(new Message.Bind(1, typeid, name, null, MethodTable.of(iface).hash())); // finds, never creates
        return ((Message.Bound) raw.receive()).objectId();
      }
    }

    private void buildTemplates(Manager m) throws Exception {
      m.dict("fz.dict");
      m.list("fz.list");
      m.queue("fz.queue");
      m.value("fz.value", 0);
      m.namespace("fz.ns");
      m.longArray("fz.array", 16);
      m.counter("fz.counter");
      m.cache("fz.cache", "maximumSize=100");
      int dict = bindRaw(address, authkey, "dict", "fz.dict", SharedDict.class);
      int list = bindRaw(address, authkey, "list", "fz.list", SharedList.class);
      int queue = bindRaw(address, authkey, "queue", "fz.queue", SharedQueue.class);
      int value = bindRaw(address, authkey, "value", "fz.value", SharedValue.class);
      int ns = bindRaw(address, authkey, "namespace", "fz.ns", SharedNamespace.class);
      int array = bindRaw(address, authkey, "long-array", "fz.array", SharedLongArray.class);
      int counter = bindRaw(address, authkey, "counter", "fz.counter", SharedCounter.class);
      int cache = bindRaw(address, authkey, "cache", "fz.cache", SharedCache.class);
      List<Object> samples = List.of(
          "s", "ü€", 42, -7L, 3.5, true, 'c', new byte[] {1, 2, 3}, new long[] {1, 2}, new int[] {3},
          new String[] {"a", null}, new Object[] {1, "x"}, new ArrayList<>(List.of(1, "two")), List.of(1, 2),
          new HashMap<>(Map.of("k", List.of(1))), new TreeMap<>(Map.of(1, "a")), new HashSet<>(Set.of(1, 2)),
          Set.of("x"), Map.of("m", 1), java.util.UUID.randomUUID(), new java.math.BigDecimal("1.50"),
          java.time.Instant.EPOCH, Arrays.asList(1, null), new ArrayList<>(java.util.Collections.nCopies(600, 7)));
      call(dict, SharedDict.class, "put", sample(samples), sample(samples));
      for (Object s : samples) {
        call(dict, SharedDict.class, "put", "k", s);
        call(list, SharedList.class, "add", s);
      }
      call(dict, SharedDict.class, "get", "k");
      call(dict, SharedDict.class, "putAll", new HashMap<>(Map.of("a", 1, "b", List.of(2))));
      call(dict, SharedDict.class, "getAll", List.of("a", "b"));
      call(dict, SharedDict.class, "remove", "a");
      call(dict, SharedDict.class, "increment", "n", 5L);
      call(list, SharedList.class, "addAll", new ArrayList<>(List.of(1, 2, 3)));
      call(list, SharedList.class, "get", 0);
      call(list, SharedList.class, "set", 0, "x");
      call(queue, SharedQueue.class, "offer", "item");
      call(queue, SharedQueue.class, "poll");
      call(queue, SharedQueue.class, "drain", 10);
      call(value, SharedValue.class, "set", List.of(1, 2));
      call(ns, SharedNamespace.class, "set", "attr", Map.of("x", 1));
      call(array, SharedLongArray.class, "set", 3, 99L);
      call(array, SharedLongArray.class, "toArray");
      call(counter, SharedCounter.class, "addAndGet", 5L);
      call(cache, SharedCache.class, "put", "k", new byte[8]);
      call(cache, SharedCache.class, "getIfPresent", "k");
      MethodTable service = MethodTable.of(ManagerService.class);
      template((new Message.Call(1, 0, service.idOf(ManagerService.class.getMethod("names")), null, 1)));
      template((new Message.Call(1, 0, service.idOf(ManagerService.class.getMethod("exists", String.class)),
          new Object[] {"fz.dict"}, 1)));
      for (var e : BuiltinTypes.INTERFACES.entrySet()) {
        Object[] params = switch (e.getKey()) {
          case "long-array", "double-array" -> new Object[] {64};
          case "queue", "joinable-queue" -> new Object[] {10};
          case "semaphore", "bounded-semaphore", "barrier" -> new Object[] {2};
          case "cache" -> new Object[] {"maximumSize=10"};
          case "value" -> new Object[] {0};
          default -> new Object[0];
        };
        template((new Message.Bind(1, e.getKey(), "fz.bind." + e.getKey(), params,
            MethodTable.of(e.getValue()).hash())));
      }
      template((new Message.Cancel(5)));
      template((new Message.Ping()));
      template((new Message.Pong()));
      // messages a client never sends once authenticated: each closes its connection, so rarer
      closers.add(frame(new Message.Auth(new byte[32], new byte[16], 1)));
      closers.add(frame(new Message.Hello(2, new byte[32])));
      closers.add(frame(new Message.Reply(1, "a client never sends this")));
      closers.add(frame(new Message.Failure(1, "x", "y", "z")));
    }

    private static Object sample(List<Object> samples) {
      return samples.get(0);
    }

    private void call(int objectId, Class<?> iface, String name, Object... args) {
      Method method = Arrays.stream(iface.getMethods())
          .filter(x -> x.getName().equals(name) && x.getParameterCount() == args.length && !x.isDefault())
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException(iface.getSimpleName() + "." + name));
      int id = MethodTable.of(iface).idOf(method);
      template((new Message.Call(1, objectId, id, args.length == 0 ? null : args, 1)));
    }

    private byte[] frame(Message m) {
      Output o = new Output(256, -1);
      kryo.writeClassAndObject(o, m);
      return o.toBytes();
    }

    private void template(Message m) {
      byte[] whole = frame(m);
      Message header = m instanceof Message.Call c ? new Message.Call(c.callId(), c.objectId(), c.methodId(), null, c.thread())
          : m instanceof Message.Bind b ? new Message.Bind(b.callId(), b.typeid(), b.name(), null, b.tableHash())
          : null;
      templates.add(whole);
      payloadStarts.add(header == null ? 0 : frame(header).length - 1);
    }

    private int payloadStart;

    /** A position in {@code b}: in the payload 24 times in 25 (a broken header costs a connection, so the header is fuzzed less often). */
    private int position(byte[] b, int extra) {
      int from = random.nextInt(25) == 0 ? 0 : Math.min(payloadStart, b.length);
      if (b.length - from + extra <= 0) {
        from = 0; // no payload left to aim at
      }
      return from + random.nextInt(b.length - from + extra);
    }

    /** One mutation of a random template (a frame body, without its length prefix). */
    byte[] mutate() {
      if (random.nextInt(200) == 0) {
        byte[] b = closers.get(random.nextInt(closers.size())).clone();
        if (b.length > 0 && random.nextBoolean()) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      }
      int which = random.nextInt(templates.size());
      byte[] b = templates.get(which).clone();
      payloadStart = payloadStarts.get(which);
      if (b.length == 0) {
        return b;
      }
      int kinds = 1 + random.nextInt(3);
      for (int k = 0; k < kinds; k++) {
        switch (random.nextInt(7)) {
          case 0 -> { // bit flips
            for (int i = 1 + random.nextInt(4); i > 0 && b.length > 0; i--) {
              b[position(b, 0)] ^= (byte) (1 << random.nextInt(8));
            }
          }
          case 1 -> { // a byte overwritten
            if (b.length > 0) {
              b[position(b, 0)] = (byte) random.nextInt(256);
            }
          }
          case 2 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : position(b, 0)); // truncation
          case 3, 4 -> b = insert(b, position(b, 1), hugeVarint()); // length or count inflation
          case 5 -> { // a splice of two frames
            byte[] other = templates.get(random.nextInt(templates.size()));
            int cut = position(b, 1);
            int from = random.nextInt(other.length + 1);
            byte[] s = Arrays.copyOf(b, cut + other.length - from);
            System.arraycopy(other, from, s, cut, other.length - from);
            b = s;
          }
          default -> { // a varint-looking byte run
            if (b.length > 0) {
              b[position(b, 0)] = (byte) (0x80 | random.nextInt(128));
            }
          }
        }
      }
      return b;
    }

    private byte[] hugeVarint() {
      int v = random.nextBoolean() ? (1 << 30) + random.nextInt(1 << 20) : random.nextInt(Integer.MAX_VALUE);
      Output o = new Output(8);
      if (random.nextBoolean()) {
        o.writeVarInt(v, true);
      } else {
        o.writeVarIntFlag(random.nextBoolean(), v, true);
      }
      return o.toBytes();
    }

    private static byte[] insert(byte[] b, int at, byte[] x) {
      byte[] out = new byte[b.length + x.length];
      System.arraycopy(b, 0, out, 0, at);
      System.arraycopy(x, 0, out, at, x.length);
      System.arraycopy(b, at, out, at + x.length, b.length - at);
      return out;
    }

    enum Fate { SKIP, CLOSES, STAYS }

    /**
     * What the daemon will make of {@code body}: a frame it must close the connection for, one it
     * answers and goes on, or one not to send (it would change the bystander's data or stop the
     * daemon).
     */
    private Fate fate(byte[] body) {
      if (body.length == 0) {
        return Fate.CLOSES;
      }
      Message m;
      try {
        m = daemonView.decode(body, 0, body.length);
      } catch (WireException e) {
        return Fate.CLOSES;
      }
      if (m instanceof Message.Call c && (c.objectId() == bystanderId
          || (c.objectId() == 0 && forbiddenServiceMethods.contains(c.methodId())))) {
        return Fate.SKIP;
      }
      return m instanceof Message.Call || m instanceof Message.Bind || m instanceof Message.Unreadable
          || m instanceof Message.Cancel || m instanceof Message.Ping || m instanceof Message.Pong
          ? Fate.STAYS
          : Fate.CLOSES;
    }

    /** Sends {@code frames} mutated frames (fewer if {@code atMost} runs out); runs {@code check} every so often. */
    void run(int frames, Duration atMost, Runnable check) throws Exception {
      Conn conn = null;
      long deadline = System.nanoTime() + atMost.toNanos();
      while (sent < frames && (sent % 1_000 != 0 || System.nanoTime() < deadline)) {
        if (conn == null) {
          conn = new Conn();
        }
        byte[] body = mutate();
        Fate fate = fate(body);
        if (fate == Fate.SKIP) {
          continue;
        }
        boolean closes = fate == Fate.CLOSES;

        if (random.nextInt(500) == 0) {
          conn.writeRaw(ByteBuffer.allocate(4).putInt(body.length + 100).array()); // a frame cut short: then gone
          conn.writeRaw(body);
          conn.close();
          conn = null;
          sent++;
          continue;
        }
        conn.write(body);
        sent++;
        if (closes) {
          conn.awaitClosedByDaemon();
          closedByDaemon++;
          conn = null;
        } else if (sent % 2_000 == 0) {
          conn.awaitAnswers();
          check.run();
        }
      }
      if (conn != null) {
        conn.awaitAnswers();
        conn.close();
      }
    }

    /** One authenticated raw connection, whose answers a reader thread counts. */
    final class Conn implements AutoCloseable {
      private final Socket socket;
      private final OutputStream out;
      private final Thread reader;
      private volatile boolean eof;
      private final java.util.concurrent.atomic.AtomicLong markerAnswered = new java.util.concurrent.atomic.AtomicLong();
      private long markers;

      Conn() throws IOException {
        connections++;
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        Message.Hello hello = (Message.Hello) kryo.readClassAndObject(new com.esotericsoftware.kryo.io.Input(body(in)));
        writeMessage(new Message.Auth(Handshake.proof(authkey, hello.serverNonce()), Handshake.nonce(), 1));
        Message welcome = (Message) kryo.readClassAndObject(new com.esotericsoftware.kryo.io.Input(body(in)));
        if (!(welcome instanceof Message.Welcome)) {
          throw new IllegalStateException("not welcomed: " + welcome);
        }
        Kryo pooled = readerKryos.poll();
        Kryo readerKryo = pooled != null ? pooled
            : WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);
        reader = new Thread(() -> {
          try {
            while (true) {
              byte[] b = body(in);
              Object m = readerKryo.readClassAndObject(new com.esotericsoftware.kryo.io.Input(b));
              if (m instanceof Message.Reply r && r.callId() < 0) {
                synchronized (markerAnswered) {
                  markerAnswered.set(-r.callId());
                  markerAnswered.notifyAll();
                }
              }
            }
          } catch (IOException | RuntimeException e) {
            synchronized (markerAnswered) {
              eof = true;
              markerAnswered.notifyAll();
            }
          } finally {
            readerKryos.add(readerKryo);
          }
        }, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
      }

      private byte[] body(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
      }

      private void writeMessage(Message m) throws IOException {
        write(frame(m));
      }

      void write(byte[] body) throws IOException {
        writeRaw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
      }

      void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
      }

      /**
       * Waits until the daemon has read everything written so far: it answers a marker call
       * (the service's {@code names()}, which never parks) after every frame before it.
       */
      void awaitAnswers() throws Exception {
        long marker = ++markers;
        writeMessage(new Message.Call(-marker, 0,
            MethodTable.of(ManagerService.class).idOf(ManagerService.class.getMethod("names")), null, 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        synchronized (markerAnswered) {
          long left;
          while (markerAnswered.get() < marker && !eof && (left = deadline - System.nanoTime()) > 0) {
            markerAnswered.wait(Math.max(1, left / 1_000_000));
          }
        }
        assertTrue(!eof, "the daemon closed a connection it should have kept");
        assertEquals(marker, markerAnswered.get(), "the daemon answered within 30 s");
      }

      /** The frame just written was one the daemon must close the connection for: it does. */
      void awaitClosedByDaemon() throws Exception {
        reader.join(Duration.ofSeconds(30).toMillis());
        assertTrue(eof, "the daemon closed the connection after an unreadable frame");
        close();
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    }
  }
}
