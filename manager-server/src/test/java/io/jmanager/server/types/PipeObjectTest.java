package io.jmanager.server.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jmanager.client.SharedPipe.Side;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pipe's recv without a socket: each end's receivers served in order, dead ones skipped. */
class PipeObjectTest {
  private final PipeObject pipe = new PipeObject();
  private final FakeContext a = new FakeContext(2);
  private final FakeContext b = new FakeContext(3);
  private final FakeContext c = new FakeContext(4);

  @Test
  void parkedReceivers_getTheOtherEndsMessagesInArrivalOrder() {
    assertInstanceOf(Pending.class, pipe.recv(a, Side.RIGHT));
    assertInstanceOf(Pending.class, pipe.recv(b, Side.RIGHT, Duration.ofSeconds(1)));

    pipe.send(Side.LEFT, "m1");
    assertEquals("m1", a.onlyAnswer());
    assertEquals(0, b.answers);
    pipe.send(Side.LEFT, "m2");
    assertEquals("m2", b.onlyAnswer());
    assertEquals(0, b.liveTimers());

    pipe.send(Side.LEFT, "m3");
    pipe.send(Side.LEFT, "m4");
    assertEquals("m3", pipe.recv(c, Side.RIGHT));
    assertEquals("m4", pipe.recv(c, Side.RIGHT));
    assertNull(c.parked);
  }

  @Test
  void aMessageGoesOnlyToTheOtherEnd() {
    pipe.recv(a, Side.RIGHT);
    pipe.send(Side.RIGHT, "m");
    assertEquals(0, a.answers);
    assertEquals("m", pipe.recv(b, Side.LEFT));
  }

  @Test
  void timedRecvThatExpires_answersNullOnce_theNextMessageWaitsForTheNextRecv() {
    pipe.recv(a, Side.LEFT, Duration.ofSeconds(1));
    a.fireTimer();
    assertNull(a.onlyAnswer());

    pipe.send(Side.RIGHT, "m");
    assertEquals(1, a.answers);
    assertEquals(1, pipe.statusSize());
    assertEquals("m", pipe.recv(b, Side.LEFT));
  }

  @Test
  void receiverSessionClosedOrInterrupted_isSkipped_theMessageGoesToTheNext() {
    pipe.recv(a, Side.LEFT);
    pipe.recv(b, Side.LEFT, Duration.ofSeconds(1));
    pipe.recv(c, Side.LEFT);
    a.closeSession(pipe);
    b.interrupt();
    assertInstanceOf(IllegalStateException.class, a.onlyAnswer());
    assertInstanceOf(InterruptedException.class, b.onlyAnswer());
    assertEquals(0, b.liveTimers());

    pipe.send(Side.RIGHT, "m");
    assertEquals("m", c.onlyAnswer());
    assertEquals(2, a.answers + b.answers);
  }

  @Test
  void poll_answersTrueWhenAMessageArrives_withoutTakingIt_falseOnTimeout() {
    pipe.poll(a, Side.LEFT, Duration.ofSeconds(1));
    pipe.poll(b, Side.RIGHT, Duration.ofSeconds(1));
    pipe.send(Side.RIGHT, "m");
    assertEquals(true, a.onlyAnswer());
    assertEquals(0, a.liveTimers());
    assertEquals(0, b.answers);

    b.fireTimer();
    assertEquals(false, b.onlyAnswer());
    assertEquals("m", pipe.recv(c, Side.LEFT));
  }
}
