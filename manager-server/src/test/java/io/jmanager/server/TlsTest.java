package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.AuthenticationException;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Fingerprints;
import io.jmanager.server.tls.Certificates;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the daemon's TCP connections: who is refused and when, trust by fingerprint and by CA,
 * the generated certificate, the plain Unix socket, and the client's own TLS I/O under load (big
 * frames, many threads, idle heartbeats, worker processes).
 */
class TlsTest {
  @TempDir Path dir;

  private TestDaemon tlsDaemon(UnaryOperator<ManagerServer.Builder> more) {
    return new TestDaemon(b -> more.apply(b.tls(true).tlsDir(dir).unixPath("off")));
  }

  @Test
  void wrongFingerprint_isRefusedDuringTheTlsHandshake_beforeAnyMessage() {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      String right = daemon.server.tlsFingerprint().orElseThrow();
      String wrong = Fingerprints.format(new byte[32]);
      AuthenticationException e = assertThrows(AuthenticationException.class,
          () -> daemon.connect(b -> b.tlsFingerprint(wrong)));
      assertTrue(e.getMessage().contains("fingerprint") && e.getMessage().contains(right) && e.getMessage().contains(wrong),
          e.getMessage());
      HandshakeFailures failures = daemon.server.failures();
      await().atMost(Duration.ofSeconds(5)).until(() -> failures.total(HandshakeFailures.Kind.TLS) == 1);
      assertEquals(0, failures.total(HandshakeFailures.Kind.WRONG_AUTHKEY) + failures.total(HandshakeFailures.Kind.MALFORMED)
          + failures.total(HandshakeFailures.Kind.TIMED_OUT), "the daemon never read a jmanager message from it");
      assertEquals(0, daemon.server.info().sessions().size(), "no session was opened");
      // the same daemon serves a client with the right fingerprint (colons and case are free)
      Manager m = daemon.connect(b -> b.tlsFingerprint(right.replace(":", "").toLowerCase()));
      m.<String, String>dict("d").put("k", "v");
      assertEquals("v", m.dict("d").get("k"));
    }
  }

  @Test
  void caVerification_trustsCertificatesItSigned_forTheHostConnectedTo() throws Exception {
    Certificates.Issued ca = Certificates.selfSigned("test CA", List.of(), List.of(), true);
    KeyPair daemonKeys = Certificates.newKeyPair();
    X509Certificate cert = Certificates.issue("daemon", daemonKeys, "test CA", ca.key(), false,
        List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    Path certFile = dir.resolve("daemon.pem");
    Path keyFile = dir.resolve("daemon-key.pem");
    Certificates.writePem(cert, daemonKeys.getPrivate(), certFile, keyFile);
    Path caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, Certificates.pem("CERTIFICATE", ca.certificate().getEncoded()));
    Path otherCa = dir.resolve("other-ca.pem");
    Files.writeString(otherCa, Certificates.pem("CERTIFICATE",
        Certificates.selfSigned("other CA", List.of(), List.of(), true).certificate().getEncoded()));

    try (TestDaemon daemon = tlsDaemon(b -> b.tlsFiles(certFile, keyFile))) {
      assertEquals(Fingerprints.format(Fingerprints.sha256(cert)), daemon.server.tlsFingerprint().orElseThrow(),
          "the daemon prints the fingerprint of configured files too");
      Manager m = daemon.connect(b -> b.tlsCa(caFile));
      m.<String, Integer>dict("d").put("k", 1);
      assertEquals(1, m.dict("d").get("k"));
      AuthenticationException e = assertThrows(AuthenticationException.class,
          () -> daemon.connect(b -> b.tlsCa(otherCa)));
      assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
      // the certificate names localhost and 127.0.0.1, not this address
      Manager byName = daemon.connect(b -> b.address("localhost", daemon.server.address().getPort()).tlsCa(caFile));
      assertEquals(1, byName.dict("d").get("k"));
    }
  }

  @Test
  void plainClient_toTlsDaemon_getsAClearMessageWithinTheConnectTimeout() {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      ConnectionLostException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
          ConnectionLostException.class, () -> daemon.connect(b -> b.connectTimeout(Duration.ofMillis(1500)))));
      assertTrue(e.getMessage().contains("tls.enabled=true") && e.getMessage().contains(Fingerprints.ENV), e.getMessage());
    }
  }

  @Test
  void tlsClient_toPlainDaemon_getsAClearMessage() {
    try (TestDaemon daemon = new TestDaemon(b -> b.unixPath("off"))) {
      ConnectionLostException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
          ConnectionLostException.class, () -> daemon.connect(b -> b.tlsFingerprint(Fingerprints.format(new byte[32])))));
      assertTrue(e.getMessage().contains("TLS is off on the daemon"),
          e.getMessage());
    }
  }

  @Test
  void generatedCertificate_isOwnerOnly_andReusedOnRestart() throws Exception {
    String first;
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      first = daemon.server.tlsFingerprint().orElseThrow();
      assertEquals(dir.resolve("tls-cert.pem"), daemon.server.tlsCertificate().orElseThrow());
    }
    for (String f : List.of("tls-cert.pem", "tls-key.pem")) {
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve(f)), f);
    }
    try (TestDaemon again = tlsDaemon(b -> b)) {
      assertEquals(first, again.server.tlsFingerprint().orElseThrow(), "the second start reuses the certificate");
      again.connectTls().counter("c").incrementAndGet();
    }
    Files.delete(dir.resolve("tls-key.pem"));
    try (TestDaemon renewed = tlsDaemon(b -> b)) {
      assertNotEquals(first, renewed.server.tlsFingerprint().orElseThrow(), "a lost key means a new certificate");
    }
  }

  @Test
  void unixSocket_staysPlain_onATlsDaemon() {
    Path sock = dir.resolve("d.sock");
    try (TestDaemon daemon = tlsDaemon(b -> b.unixPath(sock.toString()))) {
      Manager plain = daemon.connect(b -> b.address("unix:" + sock));
      plain.<String, String>dict("d").put("k", "v");
      // a TLS client uses the socket plainly too: TLS is for TCP
      Manager tlsOptions = daemon.connect(b -> b.address("unix:" + sock).tlsFingerprint(daemon.server.tlsFingerprint().get()));
      assertEquals("v", tlsOptions.dict("d").get("k"));
      assertEquals("v", daemon.connectTls().dict("d").get("k"));
    }
  }

  @Test
  void bigValues_crossTlsWhole() {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      SharedDict<String, byte[]> d = daemon.connectTls().dict("big");
      byte[] value = new byte[6 << 20];
      new Random(42).nextBytes(value);
      d.put("v", value);
      assertArrayEquals(value, d.get("v"));
      byte[] small = {1, 2, 3};
      d.put("s", small);
      assertArrayEquals(small, d.get("s"), "the connection goes on after a multi-record frame");
    }
  }

  @Test
  void concurrentThreads_shareOneTlsConnection() throws Exception {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      Manager m = daemon.connectTls();
      SharedCounter c = m.counter("c");
      SharedDict<String, String> d = m.dict("d");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < 400; i++) {
              c.incrementAndGet();
              d.put(thread + ":" + i, "x".repeat(i % 50 == 0 ? 40_000 : 10)); // some frames span records
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(3200, c.get());
      assertEquals(3200, d.size());
    }
  }

  @Test
  void idleTlsConnection_staysUp_onHeartbeats() {
    try (TestDaemon daemon = tlsDaemon(b -> b.heartbeat(Duration.ofMillis(100), Duration.ofMillis(400)))) {
      Manager m = daemon.connectTls();
      m.counter("c").incrementAndGet();
      // idle for five heartbeat timeouts: pings and pongs alone keep both sides content
      await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(m::isConnected);
      assertEquals(2, m.counter("c").incrementAndGet());
      assertEquals(1, daemon.server.info().sessions().size(), "the daemon kept the session");
    }
  }

  @Test
  void close_saysGoodbyeOverTls_takenItemsStayTaken() throws Exception {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      Manager m = daemon.connectTls();
      for (int i = 0; i < 3; i++) {
        m.<String>queue("q").put("x" + i);
        Manager taker = daemon.connectTls();
        assertEquals("x" + i, taker.<String>queue("q").poll());
        long t0 = System.nanoTime();
        taker.close(); // close_notify and half-close, then the daemon's end of stream
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "close does not wait for a timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> daemon.server.info().sessions().size() == 1);
        assertEquals(List.of(), m.queue("q").copy(), "the item taken is confirmed, not requeued");
      }
    }
  }

  /**
   * TLS 1.3 key updates arrive while reading: a daemon whose JVM changes keys every 16 KiB it sends
   * asks the client, each time, to change its own too, which the client's reader cannot write; the
   * next write or the heartbeat does.
   */
  @Test
  void keyUpdates_fromTheDaemon_areAnswered_whileDataFlowsBothWays() throws Exception {
    Path security = dir.resolve("java.security");
    Files.writeString(security, "jdk.tls.keyLimits=AES/GCM/NoPadding KeyUpdate 2^14\n");
    Path config = dir.resolve("manager.properties");
    // a fresh daemon JVM on a busy machine may take seconds over its first handshake
    Files.writeString(config, "tls.enabled=true\ntls.dir=" + dir + "\nunix.path=off\nhandshake.timeout=60s\n");
    try (ManagerProcess daemon = ManagerProcess.start(List.of("-Djava.security.properties=" + security), "--config", config.toString())) {
      String fingerprint = Fingerprints.format(Fingerprints.sha256(io.jmanager.server.tls.DaemonTls.readLeaf(dir.resolve("tls-cert.pem"))));
      try (Manager m = Manager.builder().address(daemon.address()).authkey(daemon.authkey()).tlsFingerprint(fingerprint)
          .connectTimeout(Duration.ofSeconds(60)).connect()) {
        SharedDict<Integer, byte[]> d = m.dict("d");
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
          byte[] v = new byte[random.nextInt(40_000)];
          random.nextBytes(v);
          d.put(i, v);
          assertArrayEquals(v, d.get(i), "value " + i);
        }
        // idle past a few heartbeats: the answers written by the heartbeat keep the connection whole
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(m::isConnected);
        assertEquals(200, d.size());
        m.shutdown(); // over TLS: ManagerProcess.close() would try plain TCP first
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !daemon.isAlive());
    }
  }

  @Test
  void tlsConfig_badValues_areClearErrors() throws Exception {
    Path config = dir.resolve("bad.properties");
    Files.writeString(config, "tls.enabled=yes\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(config));
    assertTrue(e.getMessage().contains("tls.enabled") && e.getMessage().contains("true or false"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> tlsDaemon(b -> b.tlsFiles(dir.resolve("c.pem"), dir.resolve("k.pem"))));
    assertTrue(e.getMessage().contains("c.pem"), e.getMessage());
    Files.writeString(config, "tls.enabled=true\ntls.cert=" + dir.resolve("c.pem") + "\n");
    e = assertThrows(IllegalArgumentException.class, () -> ManagerServer.builder().config(config).port(0).unixPath("off").start());
    assertTrue(e.getMessage().contains("tls.cert and tls.key go together"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Manager.builder().tlsFingerprint("12:34"));
  }

  @Test
  void cliStatus_pinsTheConfiguredDaemonsOwnCertificate() throws Exception {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      daemon.connectTls().dict("visible").put("k", 1);
      Path key = dir.resolve("authkey");
      Files.write(key, daemon.authkey);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      Path config = dir.resolve("manager.properties");
      Files.writeString(config, "tls.enabled=true\ntls.dir=" + dir + "\nunix.path=off\n");
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.PrintStream old = System.out;
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        assertEquals(0, new picocli.CommandLine(new Main()).execute(
            "status", "--config", config.toString(), "--address", daemon.address(), "--authkey-file", key.toString()));
      } finally {
        System.setOut(old);
      }
      assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("visible"), out.toString());
    }
  }

  @Test
  void workerProcess_inheritsTheManagersTlsTrust() throws Exception {
    try (TestDaemon daemon = tlsDaemon(b -> b)) {
      Manager m = daemon.connectTls();
      WorkerProcess w = WorkerProcess.of(Workers.AddressReporter.class, "report").manager(m).start();
      assertTrue(w.join(Duration.ofSeconds(60)), "the worker exits");
      assertEquals(0, w.exitCode().getAsInt(), "the worker connected over TLS");
      assertEquals(daemon.address(), m.dict("report").get("connected"));
    }
  }
}
