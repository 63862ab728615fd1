package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jmanager.client.AuthenticationException;
import io.jmanager.client.Manager;
import io.jmanager.client.NotAllowedException;
import io.jmanager.client.SharedDict;
import io.jmanager.common.Authkeys;
import io.jmanager.wire.Message;
import io.jmanager.client.ServerInfo;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each bad input gets its clear error or a closed connection; the daemon serves everyone else. */
class BadInputTest {
  static TestDaemon daemon;
  static Manager bystander;
  static SharedDict<String, Integer> witness;

  /** A class no allowlist names. */
  record Secret(String value) {}

  @BeforeAll
  static void start() {
    // timeouts far above PROMPTLY: only the bad input itself can close a connection in time
    daemon = new TestDaemon(b -> b.maxFrameBytes(1 << 20)
        .handshakeTimeout(Duration.ofSeconds(60)).heartbeat(Duration.ofSeconds(20), Duration.ofSeconds(60)));
    bystander = daemon.connect();
    witness = bystander.dict("witness");
    witness.put("before", 1);
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  /** The other client still gets its data, on its old connection and on a new one. */
  @AfterEach
  void daemonStillServesOthers() {
    assertEquals(1, witness.get("before"));
    try (Manager fresh = Manager.builder().address(daemon.server.address()).authkey(daemon.authkey).connect()) {
      assertEquals(1, fresh.dict("witness").get("before"));
    }
  }

  @Test
  void wrongAuthkey_isRefusedAndLogged() {
    Logger log = (Logger) LoggerFactory.getLogger(HandshakeFailures.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      AuthenticationException e = assertThrows(AuthenticationException.class,
          () -> Manager.builder().address(daemon.server.address()).authkey(Authkeys.random()).connect());
      assertTrue(e.getMessage().contains("wrong authkey"), e.getMessage());
      assertTrue(appender.list.stream().anyMatch(ev -> ev.getFormattedMessage().contains("wrong authkey")),
          "the daemon logs the rejected connection");
    } finally {
      log.detachAppender(appender);
    }
  }

  @Test
  void randomBytes_closeTheConnectionAtOnce_asAMalformedHandshake() throws Exception {
    List<String> logged = logged(HandshakeFailures.class, () -> {
      // from an address of its own, so that its failure is the first from there and logged alone
      try (RawClient raw = new RawClient(daemon.server.address(), InetAddress.getByName("127.0.0.21"))) {
        assertInstanceOf(Message.Hello.class, raw.receive());
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0; // a 50-byte frame of noise, then more noise
        garbage[1] = 0;
        garbage[2] = 0;
        garbage[3] = 50;
        raw.writeRaw(garbage);
        assertTrue(raw.closedByPeerWithin(PROMPTLY), "closed well before any timeout");
      }
    }, l -> l.contains("127.0.0.21"));
    assertTrue(logged.stream().anyMatch(l -> l.contains("127.0.0.21") && l.contains("malformed handshake")),
        String.valueOf(logged));
  }

  @Test
  void hugeLengthPrefix_closesTheConnectionAtOnce_namingTheLimit() throws Exception {
    List<String> logged = logged(ServerHandler.class, () -> {
      try (RawClient raw = new RawClient(daemon.server.address())) {
        raw.authenticate(daemon.authkey);
        raw.writeRaw(new byte[] {0x06, 0x40, 0x00, 0x00}); // 100 MiB
        assertTrue(raw.closedByPeerWithin(PROMPTLY), "closed well before any timeout");
      }
    }, l -> l.contains("exceeds the limit"));
    assertTrue(logged.stream().anyMatch(l -> l.contains("frame of " + 0x06400000 + " bytes exceeds the limit of "
        + (1 << 20) + " bytes")), String.valueOf(logged));
  }

  @Test
  void truncatedFrameThenClose_endsJustThatSession_quietly() throws Exception {
    List<String> logged = logged(ServerHandler.class, () -> {
      long sessionId;
      try (RawClient raw = new RawClient(daemon.server.address())) {
        sessionId = raw.authenticate(daemon.authkey).sessionId();
        assertTrue(sessionIds().contains(sessionId));
        raw.writeRaw(new byte[] {0, 0, 0, 100, 1, 2, 3}); // 3 bytes of a 100-byte frame
      }
      await().atMost(PROMPTLY).until(() -> !sessionIds().contains(sessionId));
    });
    assertTrue(logged.stream().noneMatch(l -> l.startsWith("WARN") || l.startsWith("ERROR")),
        "a client that hangs up mid-frame is routine: " + logged);
  }

  /**
   * How soon a bad input must close its connection: well under the handshake and heartbeat
   * timeouts of this test's daemon, so that neither can be what closed it.
   */
  static final Duration PROMPTLY = Duration.ofSeconds(3);

  private static java.util.Set<Long> sessionIds() {
    return daemon.server.info().sessions().stream().map(ServerInfo.SessionInfo::id).collect(Collectors.toSet());
  }

  /** What {@code logger}'s class logs (level and message) while {@code body} runs. */
  private static List<String> logged(Class<?> logger, ThrowingRunnable body) throws Exception {
    return logged(logger, body, null);
  }

  /**
   * As {@link #logged(Class, ThrowingRunnable)}, and then until a line matches {@code awaited}
   * (the daemon may log just after what {@code body} saw, as it closes a connection first).
   */
  private static List<String> logged(Class<?> logger, ThrowingRunnable body, java.util.function.Predicate<String> awaited)
      throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(logger);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      body.run();
      if (awaited != null) {
        await().atMost(PROMPTLY).until(() -> lines(appender).stream().anyMatch(awaited));
      }
    } finally {
      log.detachAppender(appender);
    }
    return lines(appender);
  }

  private static List<String> lines(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) { // it appends holding its own lock, from the daemon's threads
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void unknownObjectAndMethodIds_failJustThatCall() throws Exception {
    try (RawClient raw = new RawClient(daemon.server.address())) {
      raw.authenticate(daemon.authkey);
      raw.send(new Message.Call(1, 987654, 0, null, 1));
      Message.Failure f = (Message.Failure) raw.receive();
      assertEquals(1, f.callId());
      assertEquals(IllegalArgumentException.class.getName(), f.type());
      assertTrue(f.message().contains("unknown object id 987654"), f.message());

      int dictId = ((Message.Bound) bind(raw, 2)).objectId();
      raw.send(new Message.Call(3, dictId, 9999, null, 1));
      Message.Failure g = (Message.Failure) raw.receive();
      assertEquals(3, g.callId());
      assertTrue(g.message().contains("no method 9999"), g.message());

      int exists = io.jmanager.wire.MethodTable.of(io.jmanager.common.ManagerService.class)
          .idOf(io.jmanager.common.ManagerService.class.getMethod("exists", String.class));
      raw.send(new Message.Call(4, 0, exists, new Object[] {"witness"}, 1)); // the connection still works
      assertEquals(true, ((Message.Reply) raw.receive()).value());
    }
  }

  private static Message bind(RawClient raw, long callId) throws Exception {
    raw.send(new Message.Bind(callId, "dict", "raw-dict", new Object[0],
        io.jmanager.wire.MethodTable.of(SharedDict.class).hash()));
    return raw.receive();
  }

  @Test
  void disallowedClass_isNotAllowedAndChangesNothing() {
    Manager m = daemon.connect();
    SharedDict<String, Object> d = m.dict("allowlist");
    d.put("ok", "plain");
    NotAllowedException e = assertThrows(NotAllowedException.class, () -> d.put("bad", new Secret("x")));
    assertTrue(e.getMessage().contains(Secret.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("serialization.allow"), e.getMessage());
    assertFalse(d.containsKey("bad"));
    assertEquals(Map.of("ok", "plain"), d.copy()); // and the connection is still usable
  }

  @Test
  void allowedClass_roundTrips() {
    try (TestDaemon permissive = new TestDaemon(b -> b.allow(Secret.class.getName()))) {
      SharedDict<String, Object> d = permissive.connect().dict("allowed");
      d.put("k", new Secret("x"));
      assertEquals(new Secret("x"), d.get("k"));
    }
  }

  @Test
  void callLargerThanTheDaemonsMaxFrame_failsInTheCaller_connectionKept() {
    Manager m = daemon.connect(); // the daemon here allows 1 MiB frames
    SharedDict<String, byte[]> d = m.dict("big");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.put("k", new byte[2 << 20]));
    assertTrue(e.getMessage().contains("max.frame.bytes"), e.getMessage());
    d.put("k", new byte[512 << 10]);
    assertEquals(512 << 10, d.get("k").length);
  }

  @Test
  void nameReusedAsAnotherType_namesBoth() {
    Manager m = daemon.connect();
    m.counter("typed");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.dict("typed"));
    assertTrue(e.getMessage().contains("counter") && e.getMessage().contains("dict"), e.getMessage());
  }

  @Test
  void unknownTypeid_isIllegalArgument() {
    Manager m = daemon.connect();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.proxy("no-such-type", "x", Runnable.class));
    assertTrue(e.getMessage().contains("no-such-type"), e.getMessage());
  }
}
