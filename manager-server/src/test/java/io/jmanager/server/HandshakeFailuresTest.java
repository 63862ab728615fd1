package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jmanager.server.HandshakeFailures.Kind;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Failed handshakes per address, on a hand-driven clock: what is logged, and when an address is refused. */
class HandshakeFailuresTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final HandshakeFailures failures = new HandshakeFailures(20, 10, TimeUnit.SECONDS, now::get);
  private final Logger logger = (Logger) LoggerFactory.getLogger(HandshakeFailures.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final InetAddress attacker = ip("10.0.0.66");
  private final InetAddress honest = ip("10.0.0.7");

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private void advanceSeconds(long s) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(s));
  }

  @Test
  void aThousandWrongKeys_logThreeLines_firstBlockAndSummaryWithCounts() {
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      if (failures.refuse(attacker)) {
        refused++;
      } else {
        failures.failed(attacker, Kind.WRONG_AUTHKEY, "");
      }
    }
    assertEquals(980, refused, "after 20 failures the address is refused at accept");
    assertEquals(2, messages().size(), messages().toString());
    assertTrue(messages().get(0).contains("rejected connection from 10.0.0.66: wrong authkey"), messages().get(0));
    assertTrue(messages().get(1).contains("refusing new connections from 10.0.0.66 at accept"), messages().get(1));

    failures.flush(); // the window is still open: nothing yet
    assertEquals(2, messages().size());
    advanceSeconds(10);
    failures.flush();
    assertEquals(3, messages().size(), messages().toString());
    String summary = messages().get(2);
    assertTrue(summary.contains("10.0.0.66: 20 failed handshakes in 10 s (20 wrong authkey)")
        && summary.contains("980 connections refused at accept"), summary);
    assertEquals(0, failures.tracked(), "ended windows are forgotten");
    assertFalse(failures.refuse(attacker), "a new window starts with a clean slate");
  }

  @Test
  void refusal_lastsUntilTheWindowEnds_andSparesOtherAddressesAndUnixSockets() {
    for (int i = 0; i < 20; i++) {
      failures.failed(attacker, Kind.TIMED_OUT, "handshake.timeout=5000ms");
      failures.failed(null, Kind.WRONG_AUTHKEY, ""); // a Unix-socket peer
    }
    failures.failed(honest, Kind.WRONG_AUTHKEY, "");
    assertTrue(failures.refuse(attacker));
    assertFalse(failures.refuse(honest), "one failure from another address");
    assertFalse(failures.refuse(null), "Unix sockets are never refused at accept");
    advanceSeconds(9);
    assertTrue(failures.refuse(attacker));
    advanceSeconds(1);
    assertFalse(failures.refuse(attacker), "the window has ended");
    assertTrue(messages().stream().anyMatch(m -> m.contains("rejected connection from unix socket: wrong authkey")),
        messages().toString());
  }

  @Test
  void eachKindIsLoggedOnceAtOnce_thenCounted() {
    failures.failed(honest, Kind.WRONG_AUTHKEY, "");
    failures.failed(honest, Kind.MALFORMED, "stray bytes");
    failures.failed(honest, Kind.MALFORMED, "stray bytes");
    failures.failed(honest, Kind.EVICTED, "max.unauthenticated.per.address=32");
    assertEquals(3, messages().size(), messages().toString());
    assertTrue(messages().get(1).contains("malformed handshake (stray bytes)"), messages().get(1));
    advanceSeconds(11);
    failures.failed(honest, Kind.MALFORMED, "again"); // a new window: logged at once, the last one's counts wait
    assertEquals(4, messages().size(), messages().toString());
    assertTrue(messages().get(3).contains("malformed handshake (again)"), messages().get(3));
    failures.flush();
    assertEquals(5, messages().size(), messages().toString());
    assertTrue(messages().get(4).contains("4 failed handshakes in 10 s (1 wrong authkey, 2 malformed handshake, 1 unauthenticated"),
        messages().get(4));
  }

  @Test
  void limitZero_neverRefuses_butStillCounts() {
    HandshakeFailures unlimited = new HandshakeFailures(0, 10, TimeUnit.SECONDS, now::get);
    for (int i = 0; i < 100; i++) {
      unlimited.failed(attacker, Kind.WRONG_AUTHKEY, "");
    }
    assertFalse(unlimited.refuse(attacker));
    advanceSeconds(10);
    unlimited.flush();
    assertTrue(messages().get(messages().size() - 1).contains("100 failed handshakes"), messages().toString());
  }

  @Test
  void manyAddresses_boundedTableAndBoundedLines() throws Exception {
    byte[] b = {10, 1, 0, 0};
    for (int i = 0; i < HandshakeFailures.MAX_TRACKED + 500; i++) {
      b[2] = (byte) (i >> 8);
      b[3] = (byte) i;
      for (int j = 0; j < 1 + i % 3; j++) {
        failures.failed(InetAddress.getByAddress(b), Kind.MALFORMED, "");
      }
    }
    assertEquals(HandshakeFailures.MAX_TRACKED + 1, failures.tracked(), "the rest share one row");
    assertEquals(HandshakeFailures.PROMPT_LINES, messages().size(), "prompt lines are rationed");
    advanceSeconds(10);
    failures.flush();
    List<String> summary = messages().subList(HandshakeFailures.PROMPT_LINES, messages().size());
    assertEquals(HandshakeFailures.SUMMARY_LINES + 1, summary.size(), summary.toString());
    assertTrue(summary.get(0).contains("other addresses (beyond 10000 tracked)"), summary.get(0));
    assertTrue(summary.get(summary.size() - 1).matches("\\d+ more addresses: \\d+ failed handshakes in 10 s.*"),
        summary.get(summary.size() - 1));
    assertEquals(0, failures.tracked());
  }
}
