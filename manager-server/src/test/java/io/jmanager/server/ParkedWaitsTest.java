package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.ServerInfo;
import io.jmanager.client.SharedQueue;
import io.jmanager.wire.Message;
import io.jmanager.wire.MethodTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Waiting costs the daemon no threads: 1,000 client connections each with a parked call (half a
 * take on an empty queue, half a lock on a held lock), and 10,000 takes parked by 10 connections,
 * against a daemon in its own JVM. Its thread count stays flat and its memory bounded; the waits
 * are really parked (one item wakes exactly one taker, one unlock exactly one locker); and when
 * the clients go, so do their sessions and every waiter.
 *
 * <p>The 1,000 connections are real {@link Manager}s, one thread each in this JVM (a blocked call
 * needs a thread in the caller). The 10,000 takes are 1,000 {@code Call} frames written on each of
 * 10 raw connections, as a client with 1,000 waiting threads would write them, with one thread
 * per connection reading answers and answering the daemon's pings.
 *
 * <p>Measured on 2 cores (shared with another build; the test prints its figures): daemon threads
 * 24 before, 24-25 with 1,011 sessions and 11,000 waits parked; live heap (objects surviving a
 * full GC) 7 MiB before, 31 MiB with them (about 2 KiB per wait or session), 8 MiB once the
 * clients have gone; RSS 90-100 MiB before, 170-230 MiB with them (mostly heap the JVM grew into
 * and keeps).
 */
class ParkedWaitsTest {
  private static final int CONNECTIONS = 1_000;
  private static final int RAW_CONNECTIONS = 10;
  private static final int TAKES_PER_RAW = 1_000;
  private static final Pattern TAKERS = Pattern.compile("(\\d+) takers");
  private static final Pattern LOCK_WAITERS = Pattern.compile("(\\d+) waiting");

  @Test
  void thousandsOfParkedWaits_costTheDaemonNoThreads_andGoWithTheirClients() throws Exception {
    List<Manager> managers = new ArrayList<>();
    List<Thread> waiting = new ArrayList<>();
    List<RawClient> raws = new ArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    try (ManagerProcess daemon = ManagerProcess.start(); Manager observer = daemon.connect()) {
      warmUp(daemon);
      long pid = daemon.pid();
      int threadsBefore = ProcStats.threads(pid);
      long heapBefore = ProcStats.liveHeapKib(pid);
      long rssBefore = ProcStats.rssKib(pid);

      // 1,000 connections, one parked call each: even ones take, odd ones lock a held lock
      observer.lock("held").lock();
      Queue<String> taken = new ConcurrentLinkedQueue<>();
      AtomicInteger locked = new AtomicInteger();
      AtomicInteger lost = new AtomicInteger();
      for (int i = 0; i < CONNECTIONS; i++) {
        Manager m = daemon.connect();
        managers.add(m);
        boolean take = i % 2 == 0;
        Thread t = new Thread(null, () -> {
          try {
            if (take) {
              taken.add(m.<String>queue("parked-1k").take());
            } else {
              m.lock("held").lock();
              locked.incrementAndGet(); // and keeps it, until its connection closes
            }
          } catch (ConnectionLostException | InterruptedException gone) {
            lost.incrementAndGet();
          }
        }, "parked-" + i, 128 * 1024);
        t.setDaemon(true);
        t.start();
        waiting.add(t);
      }

      // 10,000 takes parked by 10 connections
      int takeId = MethodTable.of(SharedQueue.class).idOf(SharedQueue.class.getMethod("take"));
      Queue<Message> rawAnswers = new ConcurrentLinkedQueue<>();
      for (int c = 0; c < RAW_CONNECTIONS; c++) {
        RawClient raw = new RawClient(daemon.address());
        raws.add(raw);
        raw.authenticate(daemon.authkey());
        raw.send(new Message.Bind(1, "queue", "parked-10k", new Object[0], MethodTable.of(SharedQueue.class).hash()));
        int queueId = ((Message.Bound) raw.receive()).objectId();
        for (int k = 0; k < TAKES_PER_RAW; k++) {
          raw.send(new Message.Call(2 + k, queueId, takeId, new Object[0], 1));
        }
        Thread pump = new Thread(() -> raw.pump(rawAnswers::add), "raw-pump-" + c);
        pump.setDaemon(true);
        pump.start();
        pumps.add(pump);
      }

      Duration settle = Duration.ofSeconds(60);
      await().atMost(settle).until(() -> count(observer, "parked-1k", TAKERS) == CONNECTIONS / 2);
      await().atMost(settle).until(() -> count(observer, "held", LOCK_WAITERS) == CONNECTIONS / 2);
      await().atMost(settle).until(() -> count(observer, "parked-10k", TAKERS) == RAW_CONNECTIONS * TAKES_PER_RAW);
      ServerInfo during = observer.info();
      int threadsDuring = ProcStats.threads(pid);
      long heapDuring = ProcStats.liveHeapKib(pid);
      long rssDuring = ProcStats.rssKib(pid);
      System.out.printf("daemon with %d sessions and %d parked waits: threads %d -> %d (JVM count %d), "
              + "live heap %d -> %d MiB, RSS %d -> %d MiB%n",
          during.sessions().size(), CONNECTIONS + RAW_CONNECTIONS * TAKES_PER_RAW, threadsBefore, threadsDuring,
          during.threads(), heapBefore / 1024, heapDuring / 1024, rssBefore / 1024, rssDuring / 1024);
      assertEquals(1 + CONNECTIONS + RAW_CONNECTIONS, during.sessions().size());
      // flat: a thread per wait would be 11,000 more; a few may come and go (JIT compiler, GC)
      assertTrue(threadsDuring <= threadsBefore + 4, "daemon threads " + threadsBefore + " -> " + threadsDuring);
      assertTrue(heapDuring - heapBefore < 64 * 1024, "live heap grew " + (heapDuring - heapBefore) / 1024 + " MiB");
      assertTrue(rssDuring < 512 * 1024, "daemon RSS " + rssDuring / 1024 + " MiB");

      // really parked: one item wakes exactly one taker; one unlock, exactly one locker
      observer.<String>queue("parked-1k").put("one");
      observer.<String>queue("parked-10k").put("one");
      observer.lock("held").unlock();
      await().atMost(settle).until(() -> taken.size() == 1 && locked.get() == 1 && rawAnswers.size() == 1);
      assertEquals("one", taken.peek());
      assertEquals("one", ((Message.Reply) rawAnswers.peek()).value());
      assertEquals(CONNECTIONS / 2 - 1, count(observer, "parked-1k", TAKERS), "the other takers still wait");
      assertEquals(CONNECTIONS / 2 - 1, count(observer, "held", LOCK_WAITERS), "the other lockers still wait");
      assertEquals(RAW_CONNECTIONS * TAKES_PER_RAW - 1, count(observer, "parked-10k", TAKERS));
      assertEquals(0, lost.get());

      // the clients go: so do their sessions and every waiter
      long closing = System.nanoTime();
      managers.forEach(Manager::close);
      for (RawClient raw : raws) {
        raw.close();
      }
      for (Thread t : waiting) {
        t.join(30_000);
      }
      // closing one by one hands the lock on to lockers whose connections are still open
      assertEquals(1, taken.size(), "no other taker got anything");
      assertEquals(CONNECTIONS - 1, locked.get() + lost.get(), "every other call ended: locked, or lost with its connection");
      await().atMost(settle).until(() -> observer.info().sessions().size() == 1);
      long releasedMs = (System.nanoTime() - closing) / 1_000_000;
      assertEquals(0, count(observer, "parked-1k", TAKERS));
      assertEquals(0, count(observer, "parked-10k", TAKERS));
      assertEquals("free", detailsOf(observer, "held"), "no holder, so no waiter either");
      long heapAfter = ProcStats.liveHeapKib(pid);
      System.out.printf("released in %d ms; after the clients left: daemon threads %d, live heap %d MiB, RSS %d MiB%n",
          releasedMs, ProcStats.threads(pid), heapAfter / 1024, ProcStats.rssKib(pid) / 1024);
      assertTrue(heapAfter - heapBefore < 8 * 1024, "what the clients cost went with them: live heap "
          + heapBefore / 1024 + " -> " + heapAfter / 1024 + " MiB");
    } finally {
      managers.forEach(Manager::close);
      for (RawClient raw : raws) {
        raw.close();
      }
      for (Thread t : pumps) {
        t.join(10_000);
      }
    }
  }

  /** Starts every event loop and compiles the call paths, so "before" is the daemon at work. */
  private static void warmUp(ManagerProcess daemon) throws InterruptedException {
    for (int i = 0; i < 8; i++) {
      try (Manager m = daemon.connect()) {
        SharedQueue<String> q = m.queue("warm-up");
        q.put("x");
        q.take();
        m.lock("warm-up-lock").lock();
        m.lock("warm-up-lock").unlock();
      }
    }
  }

  private static String detailsOf(Manager observer, String name) {
    return observer.info().objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().details();
  }

  private static int count(Manager observer, String name, Pattern pattern) {
    Matcher m = pattern.matcher(detailsOf(observer, name));
    if (!m.find()) {
      throw new AssertionError(name + ": " + detailsOf(observer, name));
    }
    return Integer.parseInt(m.group(1));
  }
}
