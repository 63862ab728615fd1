package io.jmanager.server;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.Handshake;
import io.jmanager.wire.Message;
import io.jmanager.wire.WireKryo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A hand-driven peer on a plain socket, for sending what a well-behaved client never would. */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final Kryo kryo = WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);

  RawClient(InetSocketAddress address) throws IOException {
    this(address, null);
  }

  /**
   * Connects from the local address {@code from} (null: any). On Linux all of 127.0.0.0/8 is
   * loopback, so a test can play a second host as 127.0.0.2 against a daemon on 127.0.0.1.
   */
  RawClient(InetSocketAddress address, InetAddress from) throws IOException {
    socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(address);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Runs the handshake with {@code authkey}; returns the daemon's Welcome. */
  Message.Welcome authenticate(byte[] authkey) throws IOException {
    Message.Hello hello = (Message.Hello) receive();
    send(new Message.Auth(Handshake.proof(authkey, hello.serverNonce()), Handshake.nonce(), 1));
    return (Message.Welcome) receive();
  }

  /**
   * Runs the handshake with {@code authkey} and returns the daemon's answer (a Welcome or a
   * Denied), or null if the daemon closed the connection before its challenge (refused at accept).
   */
  Message tryAuthenticate(byte[] authkey) throws IOException {
    Message.Hello hello;
    try {
      hello = (Message.Hello) receive();
    } catch (EOFException | java.net.SocketException closed) {
      return null;
    }
    send(new Message.Auth(Handshake.proof(authkey, hello.serverNonce()), Handshake.nonce(), 1));
    return receive();
  }

  synchronized void send(Message m) throws IOException {
    Output o = new Output(256, -1);
    kryo.writeClassAndObject(o, m);
    writeFrame(o.toBytes());
  }

  /**
   * Frames {@code Call(callId, objectId, methodId, [map])} with {@code map}'s entries written as a
   * {@code mapClass}, whatever {@code map} really is (to send what no real map could hold cheaply).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  byte[] callWithMap(long callId, int objectId, int methodId, java.util.Map<?, ?> map, Class<?> mapClass) {
    return callFrame(callId, objectId, methodId, 1, (k, o) -> {
      k.writeClass(o, mapClass);
      ((com.esotericsoftware.kryo.Serializer) k.getSerializer(mapClass)).write(k, o, map);
    });
  }

  /**
   * A whole {@code Call} frame whose {@code argCount} arguments {@code args} writes by hand: to
   * send values no real client would (a length the frame does not hold, say).
   */
  byte[] callFrame(long callId, int objectId, int methodId, int argCount,
      java.util.function.BiConsumer<Kryo, Output> args) {
    Output o = new Output(1 << 16, -1);
    kryo.writeClass(o, Message.Call.class);
    o.writeVarLong(callId, true);
    o.writeVarInt(objectId, true);
    o.writeVarInt(methodId, true);
    o.writeVarLong(1, true);
    o.writeVarInt(argCount + 1, true);
    args.accept(kryo, o);
    return framed(o.toBytes());
  }

  /** {@code m} as one whole frame, length prefix included, to write later with {@link #writeRaw}. */
  byte[] frame(Message m) {
    Output o = new Output(64, -1);
    kryo.writeClassAndObject(o, m);
    return framed(o.toBytes());
  }

  private static byte[] framed(byte[] body) {
    return java.nio.ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  synchronized void writeFrame(byte[] body) throws IOException {
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next message other than a Ping; Pings go unanswered, as a broken client's would. */
  Message receive() throws IOException {
    while (true) {
      Message m = receiveAny();
      if (!(m instanceof Message.Ping)) {
        return m;
      }
    }
  }

  /** The next message, Pings included. */
  Message receiveAny() throws IOException {
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return (Message) kryo.readClassAndObject(new Input(body));
  }

  /**
   * Reads until the connection closes, answering the daemon's pings as a client must (or the
   * daemon closes a silent connection after heartbeat.timeout) and passing every other message on.
   * For a thread of its own (with a Kryo of its own), while other threads {@link #send}.
   */
  void pump(java.util.function.Consumer<Message> messages) {
    Kryo reading = WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);
    try {
      socket.setSoTimeout(0); // the daemon's pings keep it busy
      while (true) {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        Message m = (Message) reading.readClassAndObject(new Input(body));
        if (m instanceof Message.Ping) {
          send(new Message.Pong());
        } else {
          messages.accept(m);
        }
      }
    } catch (IOException closed) {
      // the connection ended: the pump's work is done
    }
  }

  /**
   * Whether the daemon closes the connection within {@code bound}: reads (skipping whatever it
   * still sends) until end of stream. False if the connection is still open when the bound passes,
   * so a daemon that ignored what it was sent fails the caller's assertion rather than passing by
   * timeout.
   */
  boolean closedByPeerWithin(java.time.Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) left);
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (EOFException | java.net.SocketException closed) {
      return true; // a reset is a close too
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
