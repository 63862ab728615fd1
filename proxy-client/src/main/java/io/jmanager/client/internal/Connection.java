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
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One authenticated, multiplexed connection to the daemon (TCP or a Unix domain socket, one code
 * path), on which the calling threads do all the I/O themselves: no thread of the connection's own
 * stands between a caller and the socket.
 *
 * <p><b>Writing</b> ({@link FrameWriter}): a caller encodes its message in its own thread (with a
 * codec from a small pool) and writes the frame; frames of threads writing at once go out in one
 * write.
 *
 * <p><b>Reading: leader/followers.</b> At most one thread holds the <em>reading role</em>. A
 * thread waiting for its answer takes the role if it is free and reads frames ({@link
 * FrameReader}), completing every call whose answer arrives (its own or another thread's), until
 * its own answer is in; then it gives the role up and wakes one waiting thread (a follower) to take
 * it. A thread that finds the role taken queues itself as a follower and parks until its answer
 * arrives or it is woken to lead. A single-threaded caller therefore writes, reads and returns with
 * no thread switch. Interrupts never close the socket: it is in non-blocking mode, and threads wait
 * in {@link Selector#select} or {@link LockSupport#park}, which an interrupt only wakes (a blocking
 * channel read would close the channel, and with it every other thread's calls).
 *
 * <p><b>Liveness</b>: {@link Heartbeats}, one timer thread per JVM, {@linkplain #tick ticks} each
 * connection: it pings an idle daemon, reads when no thread holds the role, and declares the
 * connection lost when the daemon has sent nothing for the heartbeat timeout. Loss fails every
 * pending and later call with {@link ConnectionLostException}.
 *
 * <p><b>Confirming what was read</b>: every daemon {@code Ping} is answered with a {@code Pong},
 * queued by the reading thread and written with the next call or by the heartbeat's tick. As
 * frames are read in order, it tells the daemon that every reply before its Ping arrived: the items
 * a {@code take} handed over stay the daemon's until then (at-least-once delivery).
 *
 * <p><b>TLS</b>: on a TCP address, with a {@link TlsTrust}, the socket is wrapped in a {@link
 * TlsChannel} that the reader and writer go through, and its handshake (which checks the daemon's
 * certificate) runs before the HMAC handshake, within the connect timeout. Unix sockets stay plain.
 *
 * <p>Thread-safe.
 */
final class Connection {
  /** How long {@link #close} spends at most telling the daemon what this client has read. */
  static final long GOODBYE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Endpoint endpoint;
  private final SocketChannel channel;
  private final TlsChannel tls; // null: plain (no TLS configured, or a Unix socket)
  private final Selector readable; // used by the reading-role holder only
  private final Selector writable; // used by the writer holding the write lock only
  private final FrameReader reader;
  private final FrameWriter writer;
  private final Supplier<WireCodec> newCodec;
  private final ConcurrentLinkedQueue<WireCodec> codecs = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
  private final AtomicLong callIds = new AtomicLong();
  private final AtomicReference<Thread> readingThread = new AtomicReference<>(); // holds the role
  private final ConcurrentLinkedQueue<PendingCall> followers = new ConcurrentLinkedQueue<>();
  private volatile String lostReason;
  private volatile boolean leaderSelecting; // the role's holder waits on the socket, not on user code
  private volatile boolean closing; // close() is saying goodbye: the heartbeat leaves the socket alone
  private volatile java.util.function.Consumer<Connection> onLost; // told once, after the loss
  private final java.util.concurrent.atomic.AtomicBoolean lossTold = new java.util.concurrent.atomic.AtomicBoolean();
  private Message.Welcome welcome;
  private byte[] pingFrame;
  private byte[] pongFrame;

  private Connection(Endpoint endpoint, SocketChannel channel, TlsChannel tls, Supplier<WireCodec> newCodec)
      throws IOException {
    this.endpoint = endpoint;
    this.channel = channel;
    this.tls = tls;
    this.newCodec = newCodec;
    this.readable = Selector.open();
    this.writable = Selector.open();
    this.reader = new FrameReader(channel, tls);
    this.writer = new FrameWriter(channel, tls, writable);
    if (tls != null) {
      tls.hooks(writer::tryFlushTls, readable::wakeup);
    }
  }

  /**
   * Connects to the first of {@code endpoints} that answers, runs the handshake and returns the
   * authenticated connection, watched by {@link Heartbeats}.
   *
   * @throws AuthenticationException if the daemon refuses the key or cannot prove it holds it
   * @throws ConnectionLostException if no endpoint can be reached, naming each one's failure
   */
  static Connection open(
      List<Endpoint> endpoints, byte[] authkey, TlsTrust tls, WireKryo.RefResolver refs, Duration connectTimeout) {
    boolean interrupted = Thread.interrupted(); // select would return at once while the flag is set
    try {
      List<String> failures = new ArrayList<>();
      for (Endpoint e : endpoints) {
        try {
          return open(e, authkey, tls, refs, connectTimeout);
        } catch (ConnectionLostException failed) {
          failures.add(failed.getMessage());
        }
      }
      throw new ConnectionLostException(
          failures.size() == 1 ? failures.get(0) : "cannot connect to the jmanager daemon: " + String.join("; ", failures));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Connection open(
      Endpoint endpoint, byte[] authkey, TlsTrust tls, WireKryo.RefResolver refs, Duration connectTimeout) {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    Supplier<WireCodec> codecs = () -> WireCodec.open(
        () -> WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, refs), Frames.DEFAULT_MAX_FRAME_BYTES);
    SocketChannel ch = null;
    Connection c = null;
    try {
      ch = endpoint.isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
      ch.configureBlocking(false);
      if (!endpoint.isUnix()) {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      TlsChannel t = tls == null || endpoint.isUnix() ? null : new TlsChannel(ch, tls.newEngine(endpoint));
      c = new Connection(endpoint, ch, t, codecs);
      c.connect(deadline);
      if (t != null) {
        c.startTls(tls, deadline);
      }
      c.handshake(authkey, refs, deadline);
      Heartbeats.watch(c);
      return c;
    } catch (AuthenticationException e) {
      abort(ch, c);
      throw e;
    } catch (TimeoutException e) {
      abort(ch, c);
      throw new ConnectionLostException(
          "no connection to the jmanager daemon at " + endpoint + " within " + connectTimeout.toMillis() + " ms"
              + (tls == null && !endpoint.isUnix() ? TlsTrust.PLAIN_CLIENT_HINT : ""));
    } catch (IOException | RuntimeException e) {
      abort(ch, c);
      throw new ConnectionLostException(
          "cannot connect to the jmanager daemon at " + endpoint + " (is it running?): " + e.getMessage(), e);
    }
  }

  private static void abort(SocketChannel ch, Connection c) {
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
      SelectionKey key = channel.register(writable, SelectionKey.OP_CONNECT);
      while (!channel.finishConnect()) {
        select(writable, deadline);
      }
      key.interestOps(SelectionKey.OP_WRITE);
    } else {
      channel.register(writable, SelectionKey.OP_WRITE);
    }
    channel.register(readable, SelectionKey.OP_READ);
  }

  /**
   * The TLS handshake, before any jmanager message: the daemon's certificate is checked against
   * {@code trust} (pinned fingerprint or CA) here, so a daemon that fails is never sent or read a
   * message.
   *
   * @throws AuthenticationException if the daemon's certificate is not the one trusted
   */
  private void startTls(TlsTrust trust, long deadline) throws IOException, TimeoutException {
    try {
      tls.handshake(readable, writable, deadline);
    } catch (TlsChannel.NotTlsException e) {
      throw new IOException(e.getMessage() + ": TLS is off on the daemon (tls.enabled=false), but this client uses "
          + "TLS (" + trust + "); connect without TLS options, or enable TLS on the daemon", e);
    } catch (javax.net.ssl.SSLException e) {
      String untrusted = TlsTrust.untrustedReason(e);
      if (untrusted != null) {
        throw new AuthenticationException("the daemon at " + endpoint + " is not trusted: " + untrusted);
      }
      throw new IOException("TLS handshake failed (" + trust + "): " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new EOFException(e.getMessage() + " (does the daemon have tls.enabled=true? a plain daemon closes a TLS "
          + "client's connection)");
    }
  }

  /**
   * The mutual HMAC challenge: answers the daemon's nonce and checks its proof of ours. Until then
   * frames are small and only handshake messages are read.
   */
  private void handshake(byte[] authkey, WireKryo.RefResolver refs, long deadline) throws IOException, TimeoutException {
    WireCodec codec = WireCodec.only(
        () -> WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, refs),
        Frames.HANDSHAKE_MAX_FRAME_BYTES, Message.Hello.class, Message.Welcome.class, Message.Denied.class);
    Message first;
    try {
      first = readHandshake(codec, deadline);
    } catch (EOFException e) {
      throw new EOFException("the daemon closed the connection before its challenge: it is full (max.connections), "
          + "refusing this address after repeated failed handshakes" + (tls == null && !endpoint.isUnix() ? ", or "
          + "it requires TLS and this client has none" + TlsTrust.PLAIN_CLIENT_HINT : "") + " (its log says which)");
    }
    if (!(first instanceof Message.Hello hello)) {
      throw new WireException("the daemon did not open with its challenge");
    }
    if (hello.protocolVersion() != Handshake.PROTOCOL_VERSION) {
      throw new WireException(
          "the daemon speaks protocol " + hello.protocolVersion() + ", this client " + Handshake.PROTOCOL_VERSION);
    }
    byte[] clientNonce = Handshake.nonce();
    int n = codec.encode(new Message.Auth(Handshake.proof(authkey, hello.serverNonce()), clientNonce, ProcessHandle.current().pid()));
    writer.send(codec.frameBytes(), n);
    Message answer = readHandshake(codec, deadline);
    if (answer instanceof Message.Denied d) {
      throw new AuthenticationException("the daemon refused: " + d.reason());
    }
    if (!(answer instanceof Message.Welcome w)) {
      throw new WireException("unexpected " + answer.getClass().getSimpleName() + " during the handshake");
    }
    if (!Handshake.verify(authkey, clientNonce, w.proof())) {
      throw new AuthenticationException("the daemon at " + endpoint + " failed to prove it knows the authkey (its "
          + "answer to this client's challenge is wrong): it holds another key, or it is not a jmanager daemon");
    }
    welcome = w;
    reader.maxFrameBytes(w.maxFrameBytes());
    codec.acceptAll();
    codec.maxFrameBytes(w.maxFrameBytes());
    pingFrame = Arrays.copyOf(codec.frameBytes(), codec.encode(new Message.Ping()));
    pongFrame = Arrays.copyOf(codec.frameBytes(), codec.encode(new Message.Pong()));
    codecs.add(codec); // the connection's first codec; more are made as concurrent threads need them
  }

  private Message readHandshake(WireCodec codec, long deadline) throws IOException, TimeoutException {
    for (Message m; ; ) {
      if ((m = reader.next(codec)) != null) {
        return m;
      }
      if (reader.fill() == 0) {
        select(readable, deadline);
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

  /** Why the connection was lost, or null while it is open. */
  String lostReason() {
    return lostReason;
  }

  /**
   * Tells {@code listener} once, in the thread that finds the loss, after every pending call has
   * failed; at once if the connection is already lost.
   */
  void onLost(java.util.function.Consumer<Connection> listener) {
    onLost = listener;
    if (lostReason != null) {
      tellLoss();
    }
  }

  private void tellLoss() {
    java.util.function.Consumer<Connection> l = onLost;
    if (l != null && lossTold.compareAndSet(false, true)) {
      l.accept(this);
    }
  }

  // ---- calls

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
      if (abandon(callId)) {
        throw new CallTimeoutException(
            "no answer from the daemon at " + endpoint + " within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
      }
      outcome = awaitArriving(slot); // the answer came as the time ran out: it is taken, not lost
    }
    if (outcome instanceof Message m) {
      return m;
    }
    Throwable failure = (Throwable) outcome;
    if (failure instanceof ConnectionLostException lost) {
      // rethrown in this thread, with its stack, and as the same type
      throw lost instanceof NotSentException
          ? new NotSentException(lost.getMessage())
          : new ConnectionLostException(lost.getMessage(), lost.getCause());
    }
    throw lostException(failure);
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
   * Registers {@code slot} under a fresh call id and sends the message {@code build} makes for it;
   * with {@code buffer} non-null the frame is appended there, for the caller to write later with
   * others ({@link #write}).
   *
   * @return the call id
   * @throws NotSentException if the connection was lost before the call (it is not registered)
   * @throws ConnectionLostException if the connection is lost while writing (its outcome unknown)
   * @throws IllegalArgumentException if the message is larger than the daemon's max.frame.bytes
   */
  long send(LongFunction<Message> build, PendingCall slot, FrameWriter.FrameBuffer buffer) {
    long callId = callIds.incrementAndGet();
    pending.put(callId, slot);
    try {
      if (lostReason != null) {
        throw new NotSentException(lostException(null).getMessage());
      }
      send(build.apply(callId), buffer);
      return callId;
    } catch (RuntimeException e) {
      pending.remove(callId);
      throw e;
    }
  }

  private void send(Message m, FrameWriter.FrameBuffer buffer) {
    WireCodec codec = takeCodec();
    try {
      int n;
      try {
        n = codec.encode(m);
      } catch (KryoBufferOverflowException e) {
        throw new IllegalArgumentException(
            "the call is larger than the daemon's max.frame.bytes (" + welcome.maxFrameBytes() + " bytes)", e);
      } catch (IllegalArgumentException e) {
        throw e; // a value nested too deeply: the caller's own argument
      } catch (RuntimeException e) {
        throw new ManagerException("cannot send the call: " + e.getMessage(), e);
      }
      if (buffer != null) {
        buffer.append(codec.frameBytes(), n);
      } else {
        writer.send(codec.frameBytes(), n);
      }
    } catch (IOException e) {
      throw lostWriting(e);
    } finally {
      codec.trim();
      codecs.add(codec);
    }
  }

  /** Writes the frames of {@code buffer} (sent with it earlier) and empties it. */
  void write(FrameWriter.FrameBuffer buffer) {
    try {
      buffer.writeTo(writer);
    } catch (IOException e) {
      throw lostWriting(e);
    }
  }

  private ConnectionLostException lostWriting(IOException e) {
    lost("cannot write to the daemon: " + e.getMessage());
    return inFlightLost(e);
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
    boolean finished = false;
    slot.waiter = Thread.currentThread();
    try {
      try {
        writer.flushOutbox(); // a frame of ours the heartbeat could not write must not wait for it
      } catch (IOException e) {
        lostWriting(e); // the loop below then finds the connection lost
      }
      while (!slot.isDone()) {
        if (lostReason != null) {
          slot.complete(inFlightLost(null)); // lost() fails every registered call; this one too
        } else if (readingThread.get() == Thread.currentThread()) {
          // a call made while this thread reads: from a pipelined future's callback run in dispatch
          interrupted |= lead(slot, deadlineNanos, interruptible);
        } else if (readingThread.compareAndSet(null, Thread.currentThread())) {
          try {
            interrupted |= lead(slot, deadlineNanos, interruptible);
          } finally {
            readingThread.set(null);
            promoteFollower();
          }
        } else {
          interrupted |= follow(slot, deadlineNanos, interruptible);
        }
      }
      finished = true;
      return slot.outcome();
    } finally {
      slot.waiter = null;
      if (!finished && readingThread.get() == null) {
        promoteFollower(); // leaving early (timeout, interrupt): do not take a hand-off with us
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reads, holding the role, until {@code slot} is done; returns whether an interrupt was swallowed. */
  private boolean lead(PendingCall slot, long deadline, boolean interruptible)
      throws InterruptedException, TimeoutException {
    boolean interrupted = false;
    WireCodec codec = takeCodec();
    try {
      while (!slot.isDone() && lostReason == null) {
        try {
          leaderSelecting = true;
          try {
            select(readable, deadline); // first wait: an answer is never there the moment after its call
          } finally {
            leaderSelecting = false;
          }
          readAvailable(codec);
        } catch (IOException | RuntimeException | StackOverflowError e) {
          lost(e.getMessage() != null ? e.getMessage() : e.toString());
        }
        if (Thread.interrupted()) { // select returns at once while the flag is set: take it
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
    if (readingThread.get() == null || slot.isDone()) {
      return false; // the role came free after we queued: try for it (the queue entry is harmless)
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
      Thread waiter = f.waiter;
      if (!f.isDone() && waiter != null && waiter != Thread.currentThread()) {
        f.wake();
        return;
      }
    }
  }

  /**
   * The caller of a parked call was interrupted: asks the daemon to drop the wait and takes its
   * verdict. A wait dropped in time throws {@link InterruptedException}; one answered first returns
   * that answer (so a taken item or a granted lock is never lost) with the interrupt flag set.
   */
  private Object cancelled(long callId, PendingCall slot) throws InterruptedException {
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

  /**
   * Forgets {@code callId} (its caller gave up) and tells the daemon to drop its wait.
   *
   * @return false if its answer had already been taken off the wire: {@link #awaitArriving} it
   */
  boolean abandon(long callId) {
    if (pending.remove(callId) == null) {
      return false;
    }
    if (lostReason == null) {
      try {
        send(new Message.Cancel(callId), null);
      } catch (RuntimeException lost) {
        // the connection went away: the daemon drops every wait of the session anyway
      }
    }
    return true;
  }

  /** The outcome of a call whose answer is being delivered right now (or whose connection is lost). */
  Object awaitArriving(PendingCall slot) {
    try {
      return await(slot, 0, false);
    } catch (InterruptedException | TimeoutException impossible) {
      throw new AssertionError(impossible);
    }
  }

  // ---- reading, with the role held

  /**
   * Reads what the socket has, without waiting, completing every call answered. Reads again only
   * while a read fills all the room it was given: a shorter read has drained the socket.
   */
  private void readAvailable(WireCodec codec) throws IOException {
    boolean more = true;
    while (more && reader.fill() > 0) {
      more = reader.filledAll();
      for (Message m; (m = reader.next(codec)) != null; ) {
        dispatch(m);
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
    } else if (m instanceof Message.Ping) {
      // confirms to the daemon that everything before this Ping was read (at-least-once delivery);
      // queued, not written: the reading thread never waits on the write lock
      writer.queue(pongFrame);
    } else if (m instanceof Message.Pong) {
      // liveness only: the read itself counts
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
      c.maxFrameBytes(welcome.maxFrameBytes());
    }
    return c;
  }

  // ---- liveness and loss

  /**
   * One heartbeat tick, from {@link Heartbeats}: reads for the connection if no thread is, declares
   * it lost if the daemon has been silent past {@code timeoutNanos}, and pings it if nothing was
   * written for {@code intervalNanos}. Never waits on the socket.
   */
  void tick(long now, long intervalNanos, long timeoutNanos) {
    if (lostReason != null || closing) {
      return;
    }
    boolean watched = true; // someone is reading, or waiting on the socket to read
    if (readingThread.compareAndSet(null, Thread.currentThread())) {
      WireCodec codec = takeCodec();
      try {
        readAvailable(codec);
      } catch (IOException | RuntimeException | StackOverflowError e) {
        lost(e.getMessage() != null ? e.getMessage() : e.toString());
      } finally {
        codecs.add(codec);
        readingThread.set(null);
        promoteFollower();
      }
    } else {
      watched = leaderSelecting; // a holder busy in a callback has not read, through no fault of the daemon
    }
    if (watched && now - reader.lastReadNanos() > timeoutNanos) {
      lost("the daemon sent nothing for " + timeoutNanos / 1_000_000 + " ms (heartbeat timeout)");
      return;
    }
    try {
      if (now - writer.lastWriteNanos() >= intervalNanos) {
        writer.tryPing(pingFrame); // a busy writer means the connection is not idle anyway
      } else {
        writer.tryFlush(); // Pongs the reading thread queued while no call was being written
      }
    } catch (IOException e) {
      lostWriting(e);
    }
  }

  /** Marks the connection lost (the first reason wins), closes it and fails every pending call. */
  void lost(String reason) {
    synchronized (this) {
      if (lostReason == null) {
        lostReason = reason;
      }
    }
    closeQuietly(channel);
    readable.wakeup();
    closeQuietly(readable); // wakes a thread selecting on it; it then sees the loss
    closeQuietly(writable);
    ConnectionLostException e = inFlightLost(null);
    for (Long id : pending.keySet()) {
      PendingCall slot = pending.remove(id);
      if (slot != null) {
        slot.complete(e);
      }
    }
    followers.forEach(PendingCall::wake);
    Heartbeats.forget(this);
    tellLoss();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // closing anyway; each resource on its own, so one failure leaves no other open
    }
  }

  ConnectionLostException lostException(Throwable cause) {
    return new ConnectionLostException(
        "connection to the jmanager daemon at " + endpoint + " is lost: " + lostReason, cause);
  }

  /** The failure of a call that was sent, or being sent, when the connection was lost. */
  private ConnectionLostException inFlightLost(Throwable cause) {
    return new ConnectionLostException("connection to the jmanager daemon at " + endpoint + " was lost while the "
        + "call was in flight (" + lostReason + "): its outcome is unknown (the daemon may have applied it); "
        + "it was not sent again", cause);
  }

  /**
   * Closes the connection: pending calls fail with {@link ConnectionLostException}. First, within
   * {@link #GOODBYE_NANOS}, confirms to the daemon what this client has read ({@link #goodbye}).
   * Idempotent.
   */
  void close() {
    if (lostReason == null) {
      goodbye();
    }
    lost("closed by this client");
  }

  /**
   * Tells the daemon, before closing, that every item it handed to this client arrived, so it does
   * not give them to another taker (it keeps items it handed over until their Ping is answered).
   * Reads what has already arrived, if no other thread is reading, which answers the daemon's
   * Pings; writes the outbox; then half-closes and reads until the daemon closes its side, proof
   * that it read the Pongs. Spends {@link #GOODBYE_NANOS} at most: a dead or hung daemon costs
   * only that.
   */
  private void goodbye() {
    closing = true;
    long deadline = System.nanoTime() + GOODBYE_NANOS;
    boolean interrupted = Thread.interrupted(); // select and tryLock would give up at once
    boolean reading = readingThread.compareAndSet(null, Thread.currentThread());
    WireCodec codec = reading ? takeCodec() : null;
    try {
      if (reading) {
        readAvailable(codec);
      }
      if (writer.flushBefore(deadline) && reading && writer.shutdownOutput(deadline)) {
        while (true) { // until the daemon's end of stream, or the deadline
          select(readable, deadline);
          readAvailable(codec);
        }
      }
    } catch (IOException | TimeoutException | RuntimeException | StackOverflowError e) {
      // closing anyway: an end of stream is the daemon's goodbye, a timeout or failure leaves to it
      // the items of Pings not answered
    } finally {
      if (reading) {
        codecs.add(codec);
        readingThread.set(null);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
