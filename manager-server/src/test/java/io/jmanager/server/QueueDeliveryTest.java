package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jmanager.client.Manager;
import io.jmanager.client.ServerInfo;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.WorkerProcess;
import io.jmanager.wire.Message;
import io.jmanager.wire.MethodTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery of queue items: an item handed to a taker whose client never confirms
 * reading it (the taker was stopped, killed, or its connection lost) goes back to the head of the
 * queue for another taker; a taker that closes normally keeps what it took.
 */
class QueueDeliveryTest extends WorkerTestBase {
  private static final Duration WITHIN = DaemonLossTest.HEARTBEAT_TIMEOUT.plusSeconds(10);

  @Test
  void stoppedTaker_itemsWrittenToItsSocket_goToAnotherTaker_noneLost() throws Exception {
    String name = "delivery.stopped";
    SharedQueue<String> q = m.queue(name);
    WorkerProcess taker = worker(Workers.Takers.class, name, "4");
    await().atMost(Duration.ofSeconds(60)).until(() -> takersWaiting(name, 4));
    DaemonLossTest.signal("STOP", taker.pid());
    List<String> put = IntStream.range(0, 10).mapToObj(i -> "job-" + i).toList();
    for (String item : put) {
      q.put(item); // the first four answer the stopped worker's parked takes, into its socket
    }

    SharedQueue<String> bystander = other.queue(name);
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (got.size() < put.size() && System.nanoTime() < deadline) {
      String item = bystander.poll(100, TimeUnit.MILLISECONDS);
      if (item != null) {
        got.add(item); // after the heartbeat timeout drops the stopped worker, its four come back
      }
    }
    taker.kill();

    List<String> expected =
        Stream.concat(put.subList(4, 10).stream(), put.subList(0, 4).stream()).toList();
    assertEquals(expected, got, "the stopped worker's items come back at the head, in their order");
  }

  @Test
  void takerThatClosesNormally_keepsWhatItTook_nothingIsRequeued() throws Exception {
    String name = "delivery.graceful";
    SharedQueue<String> q = m.queue(name);
    q.put("first"); // taken at once
    WorkerProcess taker = worker(Workers.TakeThenClose.class, name, name + ".got", "2");
    await().atMost(Duration.ofSeconds(60)).until(() -> takersWaiting(name, 1));
    q.put("second"); // answers its parked take from this connection's thread
    joinAll(0);
    assertEquals(List.of("first", "second"), m.list(name + ".got"));
    await().atMost(WITHIN).until(() -> sessionsOf(taker.pid()).isEmpty());
    assertEquals(List.of(), q.copy(), "confirmed items stay taken");
  }

  @Test
  void everyTakingMethod_thenClose_itemIsNotRequeued() throws Exception {
    List<Function<SharedQueue<String>, Object>> takes = List.of(
        q -> uninterrupted(q::take),
        SharedQueue::poll,
        q -> uninterrupted(() -> q.poll(1, TimeUnit.SECONDS)),
        SharedQueue::remove,
        q -> q.drain(5));
    for (int i = 0; i < takes.size(); i++) {
      String name = "delivery.close." + i;
      m.<String>queue(name).put("x");
      Set<Long> before = sessionIds();
      Manager taker = daemon.connect();
      long session = onlyNew(before);
      Object got = takes.get(i).apply(taker.queue(name));
      taker.close();
      assertEquals(got instanceof List ? List.of("x") : "x", got);
      await().atMost(WITHIN).until(() -> !sessionIds().contains(session));
      assertEquals(List.of(), m.queue(name).copy(), "take #" + i);
    }
  }

  @Test
  void takerThatNeverConfirms_itsItemsGoBackToTheHead_aParkedTakerFirst() throws Exception {
    String name = "delivery.raw";
    SharedQueue<String> q = m.queue(name);
    List.of("a", "b", "c", "d").forEach(q::add);
    try (RawClient raw = new RawClient(daemon.server.address())) {
      raw.authenticate(daemon.authkey);
      int id = bindQueue(raw, name);
      raw.send(new Message.Call(2, id, methodId("drain", int.class), new Object[] {2}, 1));
      // receive() skips the Ping that follows: it goes unanswered
      assertEquals(List.of("a", "b"), ((Message.Reply) raw.receive()).value());
    }
    await().atMost(WITHIN).until(() -> q.size() == 4);
    assertEquals(List.of("a", "b", "c", "d"), q.copy());

    try (RawClient raw = new RawClient(daemon.server.address())) {
      raw.authenticate(daemon.authkey);
      int id = bindQueue(raw, name);
      raw.send(new Message.Call(2, id, methodId("drain", int.class), new Object[] {4}, 1));
      assertEquals(List.of("a", "b", "c", "d"), ((Message.Reply) raw.receive()).value());
      AtomicReference<Object> parkedGot = new AtomicReference<>();
      Thread parked =
          new Thread(() -> parkedGot.set(uninterrupted(() -> other.queue(name).take())));
      parked.start();
      await().until(() -> takersWaiting(name, 1));
      raw.close(); // the parked taker gets the oldest, the rest go back in order
      parked.join(WITHIN.toMillis());
      assertEquals("a", parkedGot.get());
      assertEquals(List.of("b", "c", "d"), q.copy());
    }
  }

  @Test
  void takerThatAnswersThePings_hasConfirmed_closeRequeuesNothing() throws Exception {
    String name = "delivery.confirmed";
    SharedQueue<String> q = m.queue(name);
    List.of("a", "b").forEach(q::add);
    Set<Long> before = sessionIds();
    try (RawClient raw = new RawClient(daemon.server.address())) {
      raw.authenticate(daemon.authkey);
      long session = onlyNew(before);
      int id = bindQueue(raw, name);
      raw.send(new Message.Call(2, id, methodId("poll"), new Object[0], 1));
      int pings = 0; // an idle heartbeat's Ping may come first: it counts as well
      Message answer;
      while ((answer = raw.receiveAny()) instanceof Message.Ping) {
        pings++;
      }
      assertEquals("a", ((Message.Reply) answer).value());
      assertEquals(new Message.Ping(), raw.receiveAny()); // follows the reply at once
      for (int i = 0; i <= pings; i++) {
        raw.send(new Message.Pong());
      }
      raw.send(new Message.Call(3, id, methodId("size"), new Object[0], 1));
      assertEquals(1, ((Message.Reply) raw.receive()).value()); // the Pongs were read before it
      raw.close();
      await().atMost(WITHIN).until(() -> !sessionIds().contains(session));
    }
    assertEquals(List.of("b"), q.copy());
  }

  @Test
  void boundedQueue_itemsGivenBack_mayExceedCapacity_putterWaitsForRoom() throws Exception {
    String name = "delivery.bounded";
    SharedQueue<String> q = m.queue(name, 2);
    q.add("a");
    q.add("b");
    Thread putter;
    try (RawClient raw = new RawClient(daemon.server.address())) {
      raw.authenticate(daemon.authkey);
      int id = bindQueue(raw, name, 2);
      raw.send(new Message.Call(2, id, methodId("poll"), new Object[0], 1));
      assertEquals("a", ((Message.Reply) raw.receive()).value());
      q.add("c");
      putter = new Thread(() -> uninterrupted(() -> {
        other.<String>queue(name, 2).put("d");
        return null;
      }));
      putter.start();
      await().until(() -> putterWaiting(name));
    }
    await().atMost(WITHIN).until(() -> q.size() == 3);
    assertEquals(List.of("a", "b", "c"), q.copy());
    assertEquals(0, q.remainingCapacity());
    assertEquals("a", q.poll());
    assertEquals(true, putterWaiting(name), "still at capacity");
    assertEquals("b", q.poll());
    await().until(() -> q.size() == 2);
    assertEquals(List.of("c", "d"), q.copy());
    putter.join(WITHIN.toMillis());
  }

  // ---- helpers

  private static int bindQueue(RawClient raw, String name, Object... params) throws Exception {
    raw.send(new Message.Bind(1, "queue", name, params, MethodTable.of(SharedQueue.class).hash()));
    return ((Message.Bound) raw.receive()).objectId();
  }

  private static int methodId(String method, Class<?>... params) throws NoSuchMethodException {
    return MethodTable.of(SharedQueue.class).idOf(SharedQueue.class.getMethod(method, params));
  }

  private static boolean takersWaiting(String queue, int n) {
    return details(queue).contains(n + " takers");
  }

  private static boolean putterWaiting(String queue) {
    return details(queue).contains("1 putters");
  }

  private static String details(String queue) {
    return daemon.server.info().objects().stream()
        .filter(o -> o.name().equals(queue))
        .map(ServerInfo.ObjectInfo::details)
        .findFirst()
        .orElse("");
  }

  private static Set<Long> sessionIds() {
    return daemon.server.info().sessions().stream()
        .map(ServerInfo.SessionInfo::id)
        .collect(Collectors.toSet());
  }

  private static List<ServerInfo.SessionInfo> sessionsOf(long pid) {
    return daemon.server.info().sessions().stream().filter(s -> s.pid() == pid).toList();
  }

  /** The one session opened since {@code before} was taken. */
  private static long onlyNew(Set<Long> before) {
    List<Long> fresh = sessionIds().stream().filter(id -> !before.contains(id)).toList();
    assertEquals(1, fresh.size(), "sessions opened meanwhile: " + fresh);
    return fresh.get(0);
  }

  interface Blocking<T> {
    T call() throws InterruptedException;
  }

  private static <T> T uninterrupted(Blocking<T> call) {
    try {
      return call.call();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
