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

  public void send(Side from, Object message) {
    inbox(from == Side.LEFT ? Side.RIGHT : Side.LEFT).offer(message);
  }

  public Object recv(CallContext ctx, Side at) {
    return inbox(at).take(ctx);
  }

  public Object recv(CallContext ctx, Side at, Duration timeout) {
    return inbox(at).poll(ctx, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

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
