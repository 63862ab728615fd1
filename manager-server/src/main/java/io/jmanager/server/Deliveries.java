package io.jmanager.server;

import io.jmanager.server.types.HandsOver;
import io.jmanager.server.types.ItemSource;
import io.jmanager.wire.Message;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The items one session's calls took out of queues ({@link HandsOver}) and handed to its client,
 * kept until the client confirms it has read them: at-least-once delivery.
 *
 * <p>Confirmation rides on the heartbeat's ping/pong. The client reads the connection in order and
 * answers every {@code Ping} with a {@code Pong}, so its k-th Pong proves it has read everything
 * the daemon wrote before its k-th Ping. A flush that carries a reply handing items over carries a
 * Ping after it (one per flush, however many such replies it holds); the idle heartbeat's pings are
 * counted too. Items not yet confirmed when the session closes, or whose reply could not be
 * written, go back to the head of their queue in their order ({@link ItemSource#giveBack}), unless
 * the queue was deleted meanwhile.
 *
 * <p>Confined to the session's event loop, so pings are counted in the order they go on the wire;
 * only {@link #handOver} may be called from another thread, and it moves there.
 */
final class Deliveries {
  /** The items one reply handed over from {@code from}, written after {@code pingsBefore} pings. */
  private record Batch(long pingsBefore, ObjectRegistry.Entry from, List<Object> items) {}

  private final Channel channel;
  private final ArrayDeque<Batch> unconfirmed = new ArrayDeque<>();
  private long pingsWritten;
  private long pongsRead;
  private boolean pingWanted; // a reply handed items over since the last ping was written
  private boolean closed;

  Deliveries(Channel channel) {
    this.channel = channel;
  }

  /**
   * Writes {@code reply}, which hands {@code items} (not empty) over from {@code from}, and keeps
   * them until the client confirms them. Off the event loop it moves there and flushes; on it, it
   * flushes only if {@code flush}, otherwise the read batch's {@link #flush} does.
   */
  void handOver(Message.Reply reply, ObjectRegistry.Entry from, List<Object> items, boolean flush) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      write(reply, from, items, flush);
    } else {
      try {
        loop.execute(() -> write(reply, from, items, true));
      } catch (RejectedExecutionException stopping) {
        giveBack(from, items); // the daemon is stopping: nothing to write on
      }
    }
  }

  private void write(
      Message.Reply reply, ObjectRegistry.Entry from, List<Object> items, boolean flush) {
    Batch b = new Batch(pingsWritten, from, items);
    if (closed) {
      giveBackLater(b); // the session closed while this answer was on its way here
      return;
    }
    unconfirmed.add(b);
    pingWanted = true;
    channel.write(reply).addListener(written -> {
      if (!written.isSuccess() && unconfirmed.remove(b)) {
        giveBackLater(b);
      }
    });
    if (flush) {
      flush();
    }
  }

  /** Flushes what the session wrote, and a Ping if items were handed over since the last one. */
  void flush() {
    if (pingWanted) {
      writePing();
    }
    channel.flush();
  }

  /** The idle heartbeat: a Ping, counted like any other, and flushed. */
  void ping() {
    writePing();
    channel.flush();
  }

  private void writePing() {
    pingWanted = false;
    pingsWritten++;
    channel.write(new Message.Ping());
  }

  /** A Pong arrived: the items written before the Ping it answers are the client's for good. */
  void pongRead() {
    pongsRead++;
    while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().pingsBefore < pongsRead) {
      unconfirmed.pollFirst();
    }
  }

  /**
   * The session closed: every unconfirmed item goes back to its queue, in one piece per queue and
   * in the order they left it, so a parked taker gets the oldest. An answer still on its way here
   * (completed on another thread just before the close) is given back on its own when it arrives.
   */
  void close() {
    closed = true;
    Map<ObjectRegistry.Entry, List<Object>> byQueue = new LinkedHashMap<>();
    for (Batch b : unconfirmed) {
      byQueue.computeIfAbsent(b.from, q -> new ArrayList<>()).addAll(b.items);
    }
    unconfirmed.clear();
    byQueue.forEach(Deliveries::giveBack);
  }

  /** Gives back on a fresh event-loop task: never inside the monitor of a queue handing out. */
  private void giveBackLater(Batch b) {
    try {
      channel.eventLoop().execute(() -> giveBack(b.from, b.items));
    } catch (RejectedExecutionException stopping) {
      giveBack(b.from, b.items);
    }
  }

  private static void giveBack(ObjectRegistry.Entry from, List<Object> items) {
    if (!from.deleted) { // a deleted queue's items go with it
      ((ItemSource) from.instance).giveBack(items);
    }
  }
}
