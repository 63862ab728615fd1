package io.jmanager.client.internal;

import io.jmanager.client.SharedPipe;
import java.time.Duration;

/** One end of a {@link SharedPipe}: the pipe's proxy and a side. */
public final class PipeEnd implements SharedPipe.End {
  private final SharedPipe pipe;
  private final SharedPipe.Side side;

  public PipeEnd(SharedPipe pipe, SharedPipe.Side side) {
    this.pipe = pipe;
    this.side = side;
  }

  @Override
  public void send(Object message) {
    pipe.send(side, message);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T recv() throws InterruptedException {
    return (T) pipe.recv(side);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T recv(Duration timeout) throws InterruptedException {
    return (T) pipe.recv(side, timeout);
  }

  @Override
  public boolean poll(Duration timeout) throws InterruptedException {
    return pipe.poll(side, timeout);
  }

  @Override
  public String toString() {
    return "pipe '" + pipe.name() + "' " + side.name().toLowerCase() + " end";
  }
}
