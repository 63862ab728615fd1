package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jmanager.client.AuthenticationException;
import io.jmanager.client.Manager;
import io.jmanager.common.Authkeys;
import io.jmanager.common.BuiltinTypes;
import io.jmanager.wire.ClassAllowlist;
import io.jmanager.wire.Frames;
import io.jmanager.wire.Handshake;
import io.jmanager.wire.Message;
import io.jmanager.wire.WireKryo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client's half of the mutual proof: a peer that opens with a real challenge but answers the
 * client's own with a proof made from another key is rejected with AuthenticationException. The
 * daemon here is a fake, playing the handshake by hand on a plain socket with the daemon's framing
 * (a 4-byte length, then Kryo) and messages.
 */
class DaemonProofTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final byte[] key = Authkeys.random();

  private Manager connect(FakeDaemon fake) {
    return Manager.builder().address("127.0.0.1:" + fake.port()).authkey(key).reconnect(Duration.ZERO)
        .connectTimeout(BOUND).connect();
  }

  @Test
  void aDaemonWhoseProofIsMadeWithAnotherKey_isRejected() throws Exception {
    try (FakeDaemon fake = new FakeDaemon(Authkeys.random())) {
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> connect(fake));
      assertTrue(e.getMessage().contains("failed to prove it knows the authkey"), e.getMessage());
      assertTrue(fake.clientProofIsRight(key), "the client answered the fake's challenge as it should");
    }
  }

  /** The fake is faithful: with the right key, its Welcome lets the client in. */
  @Test
  void aDaemonWhoseProofIsRight_isAccepted() throws Exception {
    try (FakeDaemon fake = new FakeDaemon(key); Manager m = connect(fake)) {
      assertTrue(m.isConnected());
      assertTrue(fake.clientProofIsRight(key));
    }
  }

  /**
   * Serves one connection's handshake: a Hello with a fresh nonce, reads the client's Auth, answers
   * a Welcome whose proof of the client's nonce is made with {@code proofKey}, then reads until the
   * client closes (its pings go unanswered). Every wait is bounded by {@link #BOUND}.
   */
  private static final class FakeDaemon implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    private final Kryo kryo = WireKryo.create(ClassAllowlist.any(), BuiltinTypes.API_VALUE_TYPES, WireKryo.RefResolver.IDENTITY);
    private final byte[] serverNonce = Handshake.nonce();
    private final CompletableFuture<Message.Auth> auth = new CompletableFuture<>();
    private final Thread thread;

    FakeDaemon(byte[] proofKey) throws IOException {
      server.setSoTimeout((int) BOUND.toMillis());
      thread = new Thread(() -> serve(proofKey), "fake-daemon");
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    /** Whether the client's Auth answered this fake's challenge with {@code key}. */
    boolean clientProofIsRight(byte[] key) throws Exception {
      return Handshake.verify(key, serverNonce, auth.get(BOUND.toMillis(), TimeUnit.MILLISECONDS).proof());
    }

    private void serve(byte[] proofKey) {
      try (Socket s = server.accept()) {
        s.setSoTimeout((int) BOUND.toMillis());
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        send(out, new Message.Hello(Handshake.PROTOCOL_VERSION, serverNonce));
        Message.Auth a = (Message.Auth) receive(in);
        auth.complete(a);
        send(out, new Message.Welcome(1, Handshake.proof(proofKey, a.clientNonce()), 1000, 3000, 30_000,
            Frames.DEFAULT_MAX_FRAME_BYTES, 1, ""));
        while (in.read() >= 0) {
          // until the client closes the connection
        }
      } catch (IOException | RuntimeException e) {
        auth.completeExceptionally(e); // no-op once the Auth has come: a client that left is fine
      }
    }

    private void send(DataOutputStream out, Message m) throws IOException {
      Output o = new Output(256, -1);
      kryo.writeClassAndObject(o, m);
      out.writeInt(o.position());
      out.write(o.getBuffer(), 0, o.position());
      out.flush();
    }

    private Message receive(DataInputStream in) throws IOException {
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return (Message) kryo.readClassAndObject(new Input(body));
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(BOUND.toMillis());
      assertFalse(thread.isAlive(), "the fake daemon's thread ended");
    }
  }
}
