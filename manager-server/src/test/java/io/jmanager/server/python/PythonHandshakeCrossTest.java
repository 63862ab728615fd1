package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonHandshake.Outcome;
import io.jmanager.server.python.PythonHandshake.Step;
import io.jmanager.server.python.Pythons.Interpreter;
import io.jmanager.server.python.Pythons.Result;
import io.jmanager.server.python.Pythons.Running;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An unmodified CPython {@code multiprocessing.connection.Client} against a blocking Java server
 * that frames with {@link PythonFrames}, authenticates with {@link PythonHandshake} and answers
 * with {@link PythonPickle}: every CPython 3.8+ found (see {@link Pythons}), so that both the MD5
 * form (up to 3.11) and the {@code {sha256}} form (3.12+) meet a real client.
 */
class PythonHandshakeCrossTest {
  private static final int TIMEOUT_MS = 30_000;
  private static final String KEY = "cross-test-key";
  private static final String CLIENT = String.join("\n",
      "import sys",
      "from multiprocessing.connection import Client",
      "from multiprocessing import AuthenticationError",
      "try:",
      "    c = Client(('127.0.0.1', int(sys.argv[1])), authkey=sys.argv[2].encode())",
      "except AuthenticationError as e:",
      "    print('AuthenticationError:', e)",
      "    sys.exit(0)",
      "c.send(('abc', '__getitem__', ('k',), {}))",
      "print(repr(c.recv()))",
      "c.close()");

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.jmanager.server.python.Pythons#interpreters")
  void client_authenticates_thenGetsItsReply(Interpreter python) throws IOException {
    try (ServerSocket server = listen();
        Running client = Pythons.start(python, CLIENT, port(server), KEY);
        FramedSocket conn = accept(server)) {
      List<byte[]> seen = new ArrayList<>();
      Step last = conn.handshake(new PythonHandshake(ascii(KEY)), seen);
      assertEquals(Outcome.AUTHENTICATED, last.outcome(), last.failure());
      assertFormOf(python, seen);

      PythonPickle pickle = new PythonPickle();
      PythonRequest request = pickle.decodeRequest(conn.read(1 << 20));
      assertEquals(new PythonRequest("abc", "__getitem__", List.of("k"), Map.of()), request);
      conn.write(pickle.encodeReply(new PythonReply.Return(PythonTuple.of("v", 1))));

      Result r = client.finish(Pythons.RUN_TIMEOUT);
      assertEquals(0, r.exitCode(), r.stderr());
      assertEquals("('#RETURN', ('v', 1))", r.stdout().strip());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.jmanager.server.python.Pythons#interpreters")
  void clientWithTheWrongKey_raisesAuthenticationError(Interpreter python) throws IOException {
    try (ServerSocket server = listen();
        Running client = Pythons.start(python, CLIENT, port(server), "not-the-key");
        FramedSocket conn = accept(server)) {
      Step last = conn.handshake(new PythonHandshake(ascii(KEY)), new ArrayList<>());
      assertEquals(Outcome.FAILED, last.outcome());
      assertArrayEquals(PythonHandshake.FAILURE, last.reply());
      assertEquals("digest received was wrong", last.failure());
      conn.close();

      Result r = client.finish(Pythons.RUN_TIMEOUT);
      assertEquals(0, r.exitCode(), r.stderr());
      assertTrue(r.stdout().startsWith("AuthenticationError: digest sent was rejected"),
          r.stdout());
    }
  }

  /** CPython up to 3.11 answers raw MD5 and challenges with 20 bytes; 3.12+ prefix {sha256}. */
  private static void assertFormOf(Interpreter python, List<byte[]> seen) {
    byte[] response = seen.get(0);
    byte[] theirChallenge = seen.get(1);
    if (python.minor() >= 12) {
      assertTrue(startsWith(response, "{sha256}") && response.length == 8 + 32);
      assertTrue(startsWith(theirChallenge, "#CHALLENGE#{sha256}")
          && theirChallenge.length == 11 + 8 + 40);
    } else {
      assertEquals(16, response.length);
      assertEquals(11 + 20, theirChallenge.length);
    }
  }

  private static ServerSocket listen() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server.setSoTimeout(TIMEOUT_MS);
    return server;
  }

  private static FramedSocket accept(ServerSocket server) throws IOException {
    var socket = server.accept();
    socket.setSoTimeout(TIMEOUT_MS);
    return new FramedSocket(socket);
  }

  private static String port(ServerSocket server) {
    return String.valueOf(server.getLocalPort());
  }

  private static boolean startsWith(byte[] b, String prefix) {
    byte[] p = ascii(prefix);
    return b.length >= p.length && Arrays.equals(b, 0, p.length, p, 0, p.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
