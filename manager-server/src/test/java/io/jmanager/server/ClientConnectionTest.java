package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The client's own I/O on one shared connection: many threads with calls in flight at once, each
 * getting its own answer; parked waits and interrupts; and the reading role (leader/followers),
 * which must pass on to a waiting thread when its holder leaves, even by an interrupt.
 */
class ClientConnectionTest extends DaemonTestBase {
  private static final String LEAD = "io.jmanager.client.internal.Connection.lead";
  private static final String FOLLOW = "io.jmanager.client.internal.Connection.follow";

  /** Whether {@code t} is, right now, inside the client method {@code frame}. */
  private static boolean in(Thread t, String frame) {
    return Arrays.stream(t.getStackTrace()).anyMatch(e -> (e.getClassName() + "." + e.getMethodName()).equals(frame));
  }

  @Test
  void sixteenThreads_fiveThousandCallsEach_withParkedWaitsAndInterrupts_everyCallGetsItsOwnAnswer()
      throws Exception {
    int threads = 16;
    int calls = 5_000;
    SharedDict<String, Long> d = m.dict("mix.dict");
    SharedCounter counter = m.counter("mix.counter");
    SharedQueue<Long> q = m.queue("mix.queue");
    AtomicLong increments = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String key = "t" + t;
      Thread w = new Thread(() -> {
        try {
          for (long i = 0; i < calls; i++) {
            Thread.interrupted(); // an interrupt aimed at a plain call leaves the flag set: start clean
            switch ((int) (i % 8)) {
              case 0, 1, 2 -> {
                d.put(key, i);
                Long got = d.get(key);
                if (got == null || got != i) {
                  throw new AssertionError(key + ": put " + i + ", got " + got);
                }
              }
              case 3 -> {
                counter.incrementAndGet();
                increments.incrementAndGet();
              }
              case 4 -> q.offer(i);
              case 5, 6 -> {
                try {
                  q.poll(ThreadLocalRandom.current().nextInt(3), TimeUnit.MILLISECONDS); // parks on the daemon
                } catch (InterruptedException expected) {
                  // an interrupt ends a parked wait: that is the behaviour under test
                }
              }
              default -> {
                if (!d.containsKey(key)) {
                  throw new AssertionError(key + " vanished");
                }
              }
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          done.countDown();
        }
      }, "mix-" + t);
      workers.add(w);
    }
    workers.forEach(Thread::start);
    Thread chaos = new Thread(() -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      for (int n = 0; n < 2_000 && done.getCount() > 0; n++) {
        workers.get(r.nextInt(threads)).interrupt();
        Thread.onSpinWait();
        if (n % 10 == 0) {
          Thread.yield();
        }
      }
    }, "mix-interrupter");
    chaos.start();
    assertTrue(done.await(120, TimeUnit.SECONDS), "every thread finishes (none hangs)");
    chaos.join();
    assertTrue(errors.isEmpty(), () -> "errors: " + errors);
    assertEquals(increments.get(), counter.get(), "every increment counted once");
    assertTrue(m.isConnected());
  }

  @Test
  void largeValues_writtenInPieces_whileOtherThreadsCall() throws Exception {
    SharedDict<String, byte[]> big = m.dict("big");
    SharedCounter small = m.counter("big.small");
    byte[] value = new byte[8 << 20]; // far more than a socket buffer: written in many pieces
    ThreadLocalRandom.current().nextBytes(value);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 5; i++) {
            if (id < 2) {
              big.put("v" + id, value);
              if (!Arrays.equals(value, big.get("v" + id))) {
                throw new AssertionError("value " + id + " changed on the way");
              }
            } else {
              for (int k = 0; k < 200; k++) {
                small.incrementAndGet();
              }
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(120_000);
      assertFalse(t.isAlive());
    }
    assertTrue(errors.isEmpty(), () -> "errors: " + errors);
    assertEquals(2_000, small.get());
  }

  @Test
  void readingRole_passesOn_whenItsHolderIsInterrupted() throws Exception {
    SharedQueue<String> q = m.queue("role.queue");
    SharedEvent ev = m.event("role.event");
    AtomicReference<Throwable> takerOutcome = new AtomicReference<>();
    Thread taker = new Thread(() -> {
      try {
        takerOutcome.set(new AssertionError("took " + q.take()));
      } catch (Throwable e) {
        takerOutcome.set(e);
      }
    }, "role-taker");
    taker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> in(taker, LEAD)); // alone: it reads

    List<Thread> waiters = new ArrayList<>();
    ConcurrentLinkedQueue<Object> woke = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 5; i++) {
      Thread w = new Thread(() -> {
        try {
          woke.add(ev.await(Duration.ofSeconds(60)));
        } catch (Throwable e) {
          woke.add(e);
        }
      }, "role-waiter-" + i);
      waiters.add(w);
      w.start();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> waiters.stream().allMatch(w -> in(w, FOLLOW)));

    taker.interrupt();
    taker.join(10_000);
    assertTrue(takerOutcome.get() instanceof InterruptedException, String.valueOf(takerOutcome.get()));
    // one of the waiting threads has taken the role
    await().atMost(Duration.ofSeconds(10)).until(() -> waiters.stream().filter(w -> in(w, LEAD)).count() == 1);

    // and again: interrupt the new holder; the role passes to another waiter
    Thread holder = waiters.stream().filter(w -> in(w, LEAD)).findFirst().orElseThrow();
    holder.interrupt();
    holder.join(10_000);
    List<Thread> rest = waiters.stream().filter(w -> w != holder).toList();
    await().atMost(Duration.ofSeconds(10)).until(() -> rest.stream().filter(w -> in(w, LEAD)).count() == 1);

    other.event("role.event").set();
    for (Thread w : rest) {
      w.join(10_000);
      assertFalse(w.isAlive(), w.getName() + " returned");
    }
    assertEquals(5, woke.size());
    assertEquals(4, woke.stream().filter(Boolean.TRUE::equals).count(), "woke: " + woke);
    assertEquals(1, woke.stream().filter(InterruptedException.class::isInstance).count(), "woke: " + woke);
    assertNull(q.poll(), "the interrupted take() took nothing");
  }
}
