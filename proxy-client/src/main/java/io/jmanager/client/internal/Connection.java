package io.jmanager.client.internal;

import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import io.jmanager.client.AuthenticationException;
import io.jmanager.client.CallTimeoutException;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.ManagerException;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.Frames;
import io.jmanager.wire.Handshake;
import io.jmanager.wire.Message;
import io.jmanager.wire.WireCodec;
import io.jmanager.wire.WireException;
import io.jmanager.wire.WireKryo;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One authenticated, multiplexed connection to the daemon (TCP or a Unix domain socket, one code
 * path), on which the calling threads do all the I/O themselves: no thread of the connection's own
 * stands between a caller and the socket.
 *
 * <p><b>Writing.</b> A caller encodes its message in its own thread and writes the frame under the
 * write lock. A caller that finds the lock taken leaves its frame in the outbox and goes on to wait;
 * the lock holder writes every frame in the outbox before it lets go (one write carries the frames
 * of all threads that wrote at once), and whoever releases the lock looks at the outbox once more,
 * so no frame is stranded.
 *
 * <p><b>Reading: leader/followers.</b> At most one thread holds the <em>reading role</em>. A
 * thread waiting for its answer takes the role if it is free and reads frames, completing every
 * call whose answer arrives (its own or another thread's), until its own answer is in; then it
 * gives the role up and wakes one waiting thread (a follower) to take it. A thread that finds the
 * role taken queues itself as a follower and parks until its answer arrives or it is woken to lead.
 * A single-threaded caller therefore writes, reads and returns with no thread switch. Interrupts
 * never close the socket: it is in non-blocking mode, and threads wait in {@link Selector#select}
 * or {@link LockSupport#park}, which an interrupt only wakes.
 *
 * <p><b>Liveness.</b> {@link Heartbeats}, one timer thread per JVM, pings an idle connection, reads
 * for it when no thread holds the role, and declares it lost when the daemon has sent nothing for
 * the heartbeat timeout. Loss fails every pending and later call with {@link
 * ConnectionLostException}.
 *
 * <p>Thread-safe.
 */
final class Connection {
  private static final int READ_CHUNK = 256 << 10;
  private static final int IDLE_BUFFER = 64 << 10;

  private final Endpoint endpoint;
  private final SocketChannel channel;
  private final Selector readSelector; // used by the reading-role holder only
  private final Selector writeSelector; // used by the write-lock holder only
  private final Supplier<WireCodec> newCodec;
  private final ConcurrentLinkedQueue<WireCodec> codecs = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
  private final AtomicLong callIds = new AtomicLong();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final ConcurrentLinkedQueue<PendingCall> followers = new ConcurrentLinkedQueue<>();

  // the read buffer: touched only by the reading-role holder
  private byte[] in = new byte[IDLE_BUFFER];
  private int start;
  private int end;
  private int maxFrameBytes = Frames.HANDSHAKE_MAX_FRAME_BYTES;

  private volatile long lastReadNanos = System.nanoTime();
  private volatile long lastWriteNanos = System.nanoTime();
  private volatile String lostReason;
  private Message.Welcome welcome;
  private byte[] pingFrame;

  private Connection(Endpoint endpoint, SocketChannel channel, Supplier<WireCodec> newCodec) throws IOException {
    this.endpoint = endpoint;
    this.channel = channel;
    this.newCodec = newCodec;
    this.readSelector = Selector.open();
    this.writeSelector = Selector.open();
  }

  /**
   * Connects to the first of {@code endpoints} that answers, runs the handshake and returns the
   * authenticated connection.
   *
   * @throws AuthenticationException if the daemon refuses the key or cannot prove it holds it
   * @throws ConnectionLostException if no endpoint can be reached, naming each one's failure
   */
  static Connection open(
      List<Endpoint> endpoints, byte[] authkey, WireKryo.RefResolver refs, Duration connectTimeout) {
    List<String> failures = new ArrayList<>();
    for (Endpoint e : endpoints) {
      try {
        return open(e, authkey, refs, connectTimeout);
      } catch (ConnectionLostException failed) {
        failures.add(failed.getMessage());
      }
    }
    throw new ConnectionLostException(
        failures.size() == 1 ? failures.get(0) : "cannot connect to the jmanager daemon: " + String.join("; ", failures));
  }

  private static Connection open(
      Endpoint endpoint, byte[] authkey, WireKryo.RefResolver refs, Duration connectTimeout) {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    SocketChannel ch = null;
    Connection c = null;
    try {
      ch = endpoint.isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
      ch.configureBlocking(false);
      if (!endpoint.isUnix()) {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      c = new Connection(endpoint, ch, () -> WireCodec.open(
          () -> WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, refs), Frames.DEFAULT_MAX_FRAME_BYTES));
      c.connect(deadline);
      c.handshake(authkey, refs, deadline);
      Heartbeats.watch(c);
      return c;
    } catch (AuthenticationException e) {
      closeQuietly(ch, c);
      throw e;
    } catch (TimeoutException e) {
      closeQuietly(ch, c);
      throw new ConnectionLostException(
          "no connection to the jmanager daemon at " + endpoint + " within " + connectTimeout.toMillis() + " ms");
    } catch (IOException | WireException | ConnectionLostException e) {
      closeQuietly(ch, c);
      throw new ConnectionLostException(
          "cannot connect to the jmanager daemon at " + endpoint + " (is it running?): " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(SocketChannel ch, Connection c) {
    if (c != null) {
      c.lost("the connection could not be set up");
    } else if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing was sent on it
      }
    }
  }

  private void connect(long deadline) throws IOException, TimeoutException {
    if (!channel.connect(endpoint.socketAddress())) {
      SelectionKey key = channel.register(writeSelector, SelectionKey.OP_CONNECT);
      while (!channel.finishConnect()) {
        select(writeSelector, deadline);
      }
      key.interestOps(SelectionKey.OP_WRITE);
    } else {
      channel.register(writeSelector, SelectionKey.OP_WRITE);
    }
    channel.register(readSelector, SelectionKey.OP_READ);
  }

  /**
   * The mutual HMAC challenge: answers the daemon's nonce and checks its proof of ours. Until then
   * frames are small and only handshake messages are read.
   */
  private void handshake(byte[] authkey, WireKryo.RefResolver refs, long deadline) throws IOException, TimeoutException {
    WireCodec codec = WireCodec.only(
        () -> WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, refs),
        Frames.HANDSHAKE_MAX_FRAME_BYTES, Message.Hello.class, Message.Welcome.class, Message.Denied.class);
    Message first = readHandshake(codec, deadline);
    if (!(first instanceof Message.Hello hello)) {
      throw refused(first);
    }
    if (hello.protocolVersion() != Handshake.PROTOCOL_VERSION) {
      throw new ConnectionLostException(
          "the daemon speaks protocol " + hello.protocolVersion() + ", this client " + Handshake.PROTOCOL_VERSION);
    }
    byte[] clientNonce = Handshake.nonce();
    int n = codec.encode(new Message.Auth(Handshake.proof(authkey, hello.serverNonce()), clientNonce, ProcessHandle.current().pid()));
    writeFully(ByteBuffer.wrap(codec.frameBytes(), 0, n), deadline);
    Message second = readHandshake(codec, deadline);
    if (!(second instanceof Message.Welcome w)) {
      throw refused(second);
    }
    if (!Handshake.verify(authkey, clientNonce, w.proof())) {
      throw new AuthenticationException("the daemon could not prove it holds the authkey");
    }
    welcome = w;
    maxFrameBytes = w.maxFrameBytes();
    codec.acceptAll();
    codec.maxFrameBytes(w.maxFrameBytes());
    pingFrame = Arrays.copyOf(codec.frameBytes(), codec.encode(new Message.Ping()));
    codecs.add(codec); // the first codec of the connection; more are made as threads need them
  }

  private static RuntimeException refused(Message m) {
    if (m instanceof Message.Denied d) {
      return new AuthenticationException("the daemon refused: " + d.reason());
    }
    return new WireException("unexpected " + m.getClass().getSimpleName() + " during the handshake");
  }

  private Message readHandshake(WireCodec codec, long deadline) throws IOException, TimeoutException {
    while (true) {
      int frame = nextFrame();
      if (frame >= 0) {
        Message m = codec.decode(in, start + Frames.LENGTH_BYTES, frame);
        start += Frames.LENGTH_BYTES + frame;
        return m;
      }
      if (fill() == 0) {
        select(readSelector, deadline);
      }
    }
  }

  Message.Welcome welcome() {
    return welcome;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  boolean isOpen() {
    return lostReason == null;
  }

  // ---- calls

  /**
   * Registers {@code slot} under a fresh call id and sends the message {@code build} makes for it.
   * With {@code buffer} non-null the frame is appended there instead, for the caller to {@link
   * #write} later with others.
   *
   * @throws ConnectionLostException if the connection is lost (nothing was sent)
   * @throws IllegalArgumentException if the message is larger than the daemon's max.frame.bytes
   */
  long send(LongFunction<Message> build, PendingCall slot, FrameBuffer buffer) {
    long callId = callIds.incrementAndGet();
    pending.put(callId, slot);
    try {
      if (lostReason != null) {
        throw lostException(null);
      }
      send(build.apply(callId), buffer);
      return callId;
    } catch (RuntimeException e) {
      pending.remove(callId);
      throw e;
    }
  }

  /**
   * Waits for {@code slot}'s outcome, reading for every caller while this thread holds the reading
   * role. An interrupt is remembered and the flag restored on return, unless {@code interruptible}.
   *
   * @param deadlineNanos a {@link System#nanoTime()} deadline, or 0 to wait as long as the
   *     connection lives
   * @throws InterruptedException if interrupted and {@code interruptible}; the call stays pending
   * @throws TimeoutException if the deadline passes; the call stays pending
   */
  Object await(PendingCall slot, long deadlineNanos, boolean interruptible)
      throws InterruptedException, TimeoutException {
    boolean interrupted = false;
    slot.waiter = Thread.currentThread();
    try {
      while (!slot.isDone()) {
        if (lostReason != null) {
          slot.complete(lostException(null)); // lost() fails every registered call; this one too
          break;
        }
        if (reading.compareAndSet(false, true)) {
          try {
            interrupted |= lead(slot, deadlineNanos, interruptible);
          } finally {
            reading.set(false);
            promoteFollower();
          }
        } else {
          interrupted |= follow(slot, deadlineNanos, interruptible);
        }
      }
      return slot.outcome();
    } finally {
      slot.waiter = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Reads as the role holder until {@code slot} is done; returns whether an interrupt was swallowed.
   */
  private boolean lead(PendingCall slot, long deadline, boolean interruptible)
      throws InterruptedException, TimeoutException {
    boolean interrupted = false;
    WireCodec codec = takeCodec();
    try {
      while (!slot.isDone()) {
        if (lostReason != null) {
          return interrupted; // lost() has completed the slot
        }
        try {
          if (readAvailable(codec) == 0 && !slot.isDone()) {
            select(readSelector, deadline);
          }
        } catch (IOException | RuntimeException e) {
          lost(lostReason != null ? lostReason : "connection error: " + e.getMessage());
        }
        if (Thread.interrupted()) {
          if (interruptible && !slot.isDone()) {
            throw new InterruptedException();
          }
          interrupted = true;
        }
      }
      return interrupted;
    } finally {
      codecs.add(codec);
    }
  }

  /** Parks until {@code slot} is done or this thread is woken to lead; returns whether interrupted. */
  private boolean follow(PendingCall slot, long deadline, boolean interruptible)
      throws InterruptedException, TimeoutException {
    if (slot.queued.compareAndSet(false, true)) {
      followers.add(slot);
    }
    if (!reading.get() || slot.isDone()) {
      return false; // the role came free: try for it (the queue entry stays, harmlessly)
    }
    if (deadline == 0) {
      LockSupport.park(this);
    } else {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      LockSupport.parkNanos(this, left);
    }
    if (Thread.interrupted()) {
      if (interruptible && !slot.isDone()) {
        throw new InterruptedException();
      }
      return true;
    }
    return false;
  }

  /** After the role is given up: wakes one waiting thread whose call is still open, to lead. */
  private void promoteFollower() {
    for (PendingCall f; (f = followers.poll()) != null; ) {
      f.queued.set(false);
      if (!f.isDone()) {
        f.wake();
        return;
      }
    }
  }

  /** Forgets {@code callId} (its caller gave up) and tells the daemon to drop its wait. */
  void abandon(long callId) {
    if (pending.remove(callId) != null && lostReason == null) {
      try {
        send(new Message.Cancel(callId), null);
      } catch (RuntimeException lost) {
        // the connection went away: the daemon drops every wait of the session anyway
      }
    }
  }

  // ---- writing

  /** Frames encoded by one thread, to be written together ({@link #write}). Not thread-safe. */
  static final class FrameBuffer {
    private byte[] bytes = new byte[8192];
    private int size;

    void append(byte[] frame, int n) {
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
      }
      System.arraycopy(frame, 0, bytes, size, n);
      size += n;
    }

    int size() {
      return size;
    }
  }

  private void send(Message m, FrameBuffer buffer) {
    WireCodec codec = takeCodec();
    try {
      int n;
      try {
        n = codec.encode(m);
      } catch (KryoBufferOverflowException e) {
        throw new IllegalArgumentException(
            "the call is larger than the daemon's max.frame.bytes (" + maxFrameBytes + " bytes)", e);
      } catch (RuntimeException e) {
        throw new ManagerException("cannot send the call: " + e.getMessage(), e);
      }
      if (buffer != null) {
        buffer.append(codec.frameBytes(), n);
        return;
      }
      if (outbox.isEmpty() && writeLock.tryLock()) {
        try {
          writeNow(ByteBuffer.wrap(codec.frameBytes(), 0, n));
          drainOutbox();
        } finally {
          writeLock.unlock();
        }
      } else {
        outbox.add(Arrays.copyOf(codec.frameBytes(), n));
      }
    } finally {
      codecs.add(codec);
    }
    flushOutbox();
  }

  /** Writes the frames of {@code buffer} (sent earlier with it) and empties it. */
  void write(FrameBuffer buffer) {
    if (buffer.size == 0) {
      return;
    }
    writeLock.lock();
    try {
      drainOutbox();
      writeNow(ByteBuffer.wrap(buffer.bytes, 0, buffer.size));
    } finally {
      writeLock.unlock();
      buffer.size = 0;
    }
    flushOutbox();
  }

  /** Writes what other threads left in the outbox, if the lock is free; repeats while it refills. */
  private void flushOutbox() {
    while (!outbox.isEmpty() && writeLock.tryLock()) {
      try {
        drainOutbox();
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** With the write lock held: writes every frame in the outbox, many per write. */
  private void drainOutbox() {
    if (outbox.isEmpty()) {
      return;
    }
    ByteBuffer[] batch = new ByteBuffer[16];
    while (!outbox.isEmpty()) {
      int n = 0;
      for (byte[] f; n < batch.length && (f = outbox.poll()) != null; ) {
        batch[n++] = ByteBuffer.wrap(f);
      }
      writeNow(batch, n);
    }
  }

  private void writeNow(ByteBuffer frame) {
    writeNow(new ByteBuffer[] {frame}, 1);
  }

  /** With the write lock held: writes all of {@code frames[0, n)}, waiting while the socket is full. */
  private void writeNow(ByteBuffer[] frames, int n) {
    boolean interrupted = false;
    try {
      while (frames[n - 1].hasRemaining()) {
        if (lostReason != null) {
          throw lostException(null);
        }
        if (channel.write(frames, 0, n) == 0) {
          interrupted |= awaitWritable();
        }
      }
      lastWriteNanos = System.nanoTime();
    } catch (IOException | ClosedSelectorException e) {
      lost(lostReason != null ? lostReason : "cannot write to the daemon: " + e.getMessage());
      throw lostException(e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The socket is full (the daemon reads slower than we write): waits until it drains a little. */
  private boolean awaitWritable() throws IOException {
    writeSelector.select(100);
    writeSelector.selectedKeys().clear();
    return Thread.interrupted();
  }

  private void writeFully(ByteBuffer b, long deadline) throws IOException, TimeoutException {
    while (b.hasRemaining()) {
      if (channel.write(b) == 0) {
        select(writeSelector, deadline);
      }
    }
    lastWriteNanos = System.nanoTime();
  }

  // ---- reading

  /**
   * With the reading role held: reads what the socket has (without waiting) and completes every
   * call answered in it.
   *
   * @return the number of bytes read
   */
  private int readAvailable(WireCodec codec) throws IOException {
    int total = 0;
    int n;
    while ((n = fill()) > 0) {
      total += n;
      dispatchFrames(codec);
    }
    return total;
  }

  /** Reads once into the buffer, without waiting; returns the bytes read. */
  private int fill() throws IOException {
    if (end == in.length) {
      compact(in.length - start + 1);
    }
    int n = channel.read(ByteBuffer.wrap(in, end, Math.min(in.length - end, READ_CHUNK)));
    if (n < 0) {
      lost("the daemon closed the connection");
      throw new IOException(lostReason);
    }
    if (n > 0) {
      end += n;
      lastReadNanos = System.nanoTime();
    }
    return n;
  }

  /** The body length of the complete frame at {@code start}, or -1 if it has not all arrived. */
  private int nextFrame() {
    if (end - start < Frames.LENGTH_BYTES) {
      return -1;
    }
    int body = (in[start] & 0xff) << 24 | (in[start + 1] & 0xff) << 16 | (in[start + 2] & 0xff) << 8 | (in[start + 3] & 0xff);
    if (body < 0 || body > maxFrameBytes) {
      throw new WireException("the daemon sent a frame of " + Integer.toUnsignedString(body) + " bytes (limit " + maxFrameBytes + ")");
    }
    int whole = Frames.LENGTH_BYTES + body;
    if (end - start >= whole) {
      return body;
    }
    if (in.length - start < whole) {
      compact(whole);
    }
    return -1;
  }

  /** Moves the unread bytes to the front, growing the buffer so that {@code room} bytes fit. */
  private void compact(int room) {
    int unread = end - start;
    byte[] target = room > in.length ? new byte[Math.max(room, in.length * 2)] : in;
    System.arraycopy(in, start, target, 0, unread);
    in = target;
    start = 0;
    end = unread;
  }

  private void dispatchFrames(WireCodec codec) {
    for (int body; (body = nextFrame()) >= 0; ) {
      Message m;
      try {
        m = codec.decode(in, start + Frames.LENGTH_BYTES, body);
      } finally {
        start += Frames.LENGTH_BYTES + body;
      }
      dispatch(m);
    }
    if (start == end) {
      start = end = 0;
      if (in.length > IDLE_BUFFER) {
        in = new byte[IDLE_BUFFER]; // do not pin the buffer of a huge reply
      }
    }
  }

  /** The client's one branch per message the daemon may send once authenticated. */
  private void dispatch(Message m) {
    if (m instanceof Message.Reply r) {
      answer(r.callId(), r);
    } else if (m instanceof Message.Failure f) {
      answer(f.callId(), f);
    } else if (m instanceof Message.Bound b) {
      answer(b.callId(), b);
    } else if (m instanceof Message.Unreadable u) {
      answer(u.callId(), u);
    } else if (m instanceof Message.Ping || m instanceof Message.Pong) {
      // liveness only: the read itself is what counts, and this client pings on its own
    } else {
      throw new WireException("unexpected " + m.getClass().getSimpleName() + " from the daemon");
    }
  }

  private void answer(long callId, Message m) {
    PendingCall slot = pending.remove(callId);
    if (slot != null) {
      slot.complete(m);
    }
  }

  /** Waits until {@code selector} has something ready, the deadline passes, or a wake-up. */
  private static void select(Selector selector, long deadline) throws IOException, TimeoutException {
    long timeoutMillis = 0;
    if (deadline != 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      timeoutMillis = Math.max(1, left / 1_000_000);
    }
    selector.select(timeoutMillis);
    selector.selectedKeys().clear();
  }

  private WireCodec takeCodec() {
    WireCodec c = codecs.poll();
    if (c == null) {
      c = newCodec.get();
      c.acceptAll();
      c.maxFrameBytes(maxFrameBytes);
    }
    return c;
  }

  // ---- liveness, for Heartbeats

  /**
   * One heartbeat tick: reads for the connection if no thread is, declares it lost if the daemon
   * has been silent past {@code timeoutNanos}, and pings it if nothing was written for {@code
   * intervalNanos}. Never waits on the socket.
   */
  void tick(long now, long intervalNanos, long timeoutNanos) {
    if (lostReason != null) {
      return;
    }
    if (reading.compareAndSet(false, true)) {
      WireCodec codec = takeCodec();
      try {
        readAvailable(codec);
      } catch (IOException | RuntimeException e) {
        lost(lostReason != null ? lostReason : "connection error: " + e);
      } finally {
        codecs.add(codec);
        reading.set(false);
        promoteFollower();
      }
    }
    if (now - lastReadNanos > timeoutNanos) {
      lost("the daemon sent nothing for " + timeoutNanos / 1_000_000 + " ms (heartbeat timeout)");
    } else if (now - lastWriteNanos >= intervalNanos) {
      ping();
    }
  }

  /** Sends a ping unless a writer is busy (then the connection is not idle); never waits. */
  private void ping() {
    if (!writeLock.tryLock()) {
      return;
    }
    try {
      drainOutbox();
      ByteBuffer b = ByteBuffer.wrap(pingFrame);
      if (channel.write(b) > 0) {
        if (b.hasRemaining()) {
          outbox.add(Arrays.copyOfRange(pingFrame, b.position(), pingFrame.length)); // rare: a full socket
        }
        lastWriteNanos = System.nanoTime();
      }
    } catch (IOException e) {
      lost("cannot write to the daemon: " + e.getMessage());
    } finally {
      writeLock.unlock();
    }
  }

  // ---- loss and close

  /** Marks the connection lost (the first reason wins), closes it and fails every pending call. */
  void lost(String reason) {
    synchronized (this) {
      if (lostReason == null) {
        lostReason = reason;
      }
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    closeSelectors();
    ConnectionLostException e = lostException(null);
    for (Long id : pending.keySet()) {
      PendingCall slot = pending.remove(id);
      if (slot != null) {
        slot.complete(e);
      }
    }
    for (PendingCall f : followers) {
      f.wake();
    }
    Heartbeats.forget(this);
  }

  /** Wakes any thread selecting on them (it then sees the loss) and releases their descriptors. */
  private void closeSelectors() {
    try {
      readSelector.close();
      writeSelector.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  ConnectionLostException lostException(Throwable cause) {
    return new ConnectionLostException(
        "connection to the jmanager daemon at " + endpoint + " is lost: " + lostReason, cause);
  }

  /** Closes the connection: pending calls fail with {@link ConnectionLostException}. Idempotent. */
  void close() {
    lost("closed by this client");
  }

  /**
   * Sends the message {@code build} makes for a fresh call id and waits for its answer: a {@link
   * Message.Reply}, {@link Message.Bound}, {@link Message.Failure} or {@link Message.Unreadable}.
   *
   * @param interruptible whether an interrupt ends the wait: the daemon is asked to drop the call
   *     and its verdict decides ({@link #cancelled}); otherwise the wait goes on and the flag is
   *     restored
   * @param timeoutNanos how long to wait; {@code <= 0} waits for as long as the connection lives
   * @throws InterruptedException if interrupted, {@code interruptible}, and the daemon dropped the
   *     call in time
   */
  Message roundTrip(LongFunction<Message> build, boolean interruptible, long timeoutNanos)
      throws InterruptedException {
    PendingCall slot = new PendingCall();
    long callId = send(build, slot, null);
    Object outcome;
    try {
      outcome = await(slot, deadline(timeoutNanos), interruptible);
    } catch (InterruptedException e) {
      outcome = cancelled(callId, slot);
    } catch (TimeoutException e) {
      abandon(callId);
      throw new CallTimeoutException(
          "no answer from the daemon at " + endpoint + " within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
    }
    return answerOf(outcome);
  }

  /** The deadline {@code timeoutNanos} from now, or 0 (none) for a timeout {@code <= 0}. */
  static long deadline(long timeoutNanos) {
    if (timeoutNanos <= 0) {
      return 0;
    }
    long d = System.nanoTime() + timeoutNanos;
    return d == 0 ? 1 : d;
  }

  /**
   * The caller of a parked call was interrupted: asks the daemon to drop the wait and takes its
   * verdict. A wait dropped in time throws {@link InterruptedException}; one answered first returns
   * that answer (so a taken item or a granted lock is never lost) with the interrupt flag set.
   */
  Object cancelled(long callId, PendingCall slot) throws InterruptedException {
    try {
      send(new Message.Cancel(callId), null);
    } catch (ConnectionLostException lost) {
      // lost() has failed the call: its outcome says so
    }
    Object outcome;
    try {
      outcome = await(slot, 0, false);
    } catch (TimeoutException impossible) {
      throw new AssertionError(impossible);
    }
    if (outcome instanceof Message.Failure f && f.type().equals(InterruptedException.class.getName())) {
      throw new InterruptedException(f.message());
    }
    Thread.currentThread().interrupt();
    return outcome;
  }

  /** Turns an await's outcome into the answer, or throws what the caller should see. */
  Message answerOf(Object outcome) {
    if (outcome instanceof Message m) {
      return m;
    }
    if (outcome instanceof ConnectionLostException e) {
      throw lostException(e);
    }
    throw new ManagerException("call failed: " + outcome, (Throwable) outcome);
  }
}
