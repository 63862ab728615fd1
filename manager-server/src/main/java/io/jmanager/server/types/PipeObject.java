package io.jmanager.server.types;

import io.jmanager.client.SharedPipe.Side;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The daemon side of {@code SharedPipe}: one unbounded queue per direction. */
public final class PipeObject implements Described {
  private final QueueObject toLeft = QueueObject.unbounded();
  private final QueueObject toRight = QueueObject.unbounded();

  private QueueObject inbox(Side at) {
    return at == Side.LEFT ? toLeft : toRight;
  }

  /**
   * Queues {@code message} for the other end; never waits.
   *
   * @param from the sending end
   * @param message the message
   */
  public void send(Side from, Object message) {
    inbox(from == Side.LEFT ? Side.RIGHT : Side.LEFT).offer(message);
  }

  /**
   * Takes the next message for {@code at}, parking the call until one arrives.
   *
   * @param ctx the call
   * @param at the receiving end
   * @return the message, or the {@link Pending} of the parked call
   */
  public Object recv(CallContext ctx, Side at) {
    return inbox(at).take(ctx);
  }

  /**
   * Takes the next message for {@code at}, parking the call up to {@code timeout}.
   *
   * @param ctx the call
   * @param at the receiving end
   * @param timeout the longest wait
   * @return the message, or the {@link Pending} of the parked call (answered null on timeout)
   */
  public Object recv(CallContext ctx, Side at, Duration timeout) {
    return inbox(at).poll(ctx, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits up to {@code timeout} for a message for {@code at}, without taking it.
   *
   * @param ctx the call
   * @param at the receiving end
   * @param timeout the longest wait
   * @return {@code true} if one is waiting now, else the {@link Pending} of the parked call
   *     (answered true when one arrives, false on timeout)
   */
  public Object poll(CallContext ctx, Side at, Duration timeout) {
    return inbox(at).awaitNotEmpty(ctx, timeout.toNanos());
  }

  @Override
  public long statusSize() {
    return toLeft.size() + toRight.size();
  }

  @Override
  public String statusDetails() {
    return toLeft.size() + " waiting for left, " + toRight.size() + " for right";
  }
}
