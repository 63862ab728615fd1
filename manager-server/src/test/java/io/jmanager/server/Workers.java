package io.jmanager.server;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;

/** Worker JVM programs the multi-process tests start with WorkerProcess. */
public final class Workers {
  private Workers() {}

  /** {@code merge|increment dictName key n}: n atomic +1 updates on one key. */
  public static final class Adder {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        SharedDict<String, Object> d = m.dict(args[1]);
        int n = Integer.parseInt(args[3]);
        for (int i = 0; i < n; i++) {
          if (args[0].equals("merge")) {
            d.merge(args[2], 1, (a, b) -> (Integer) a + (Integer) b);
          } else {
            d.increment(args[2], 1);
          }
        }
      }
    }
  }

  /** Starts a {@link Sleeper} worker of its own, prints its pid, and waits to be killed. */
  public static final class Spawner {
    public static void main(String[] args) throws InterruptedException {
      io.jmanager.client.WorkerProcess child = io.jmanager.client.WorkerProcess.of(Sleeper.class).start();
      System.out.println("child " + child.pid());
      System.out.flush();
      Thread.currentThread().join(); // until killed
    }
  }

  /** Starts a daemon with {@link ManagerProcess}, prints its pid, and waits to be killed. */
  public static final class DaemonSpawner {
    public static void main(String[] args) throws InterruptedException {
      ManagerProcess daemon = ManagerProcess.start();
      System.out.println("daemon " + daemon.pid());
      System.out.flush();
      Thread.currentThread().join(); // until killed
    }
  }

  /** Waits forever: only its parent's death (or a kill) ends it. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.currentThread().join();
    }
  }

  /** {@code dictName}: records the address it was given and the one it connected to. */
  public static final class AddressReporter {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        SharedDict<String, Object> d = m.dict(args[0]);
        d.put("env", System.getenv("JMANAGER_ADDRESS"));
        d.put("connected", m.address());
      }
    }
  }

  /** {@code dictName key value}: writes one entry. */
  public static final class Writer {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        m.dict(args[0]).put(args[1], args[2]);
      }
    }
  }

  /** {@code dictName key expected}: exits 0 if the entry holds the expected value, 3 otherwise. */
  public static final class Reader {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        Object v = m.dict(args[0]).get(args[1]);
        System.exit(args[2].equals(v) ? 0 : 3);
      }
    }
  }

  /** {@code queueName producerId count}: puts count items "producerId-i". */
  public static final class Producer {
    public static void main(String[] args) throws InterruptedException {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedQueue<String> q = m.queue(args[0]);
        for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
          q.put(args[1] + "-" + i);
        }
      }
    }
  }

  /** {@code queueName listName}: takes items into the list until it takes "STOP". */
  public static final class Consumer {
    public static void main(String[] args) throws InterruptedException {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedQueue<String> q = m.queue(args[0]);
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String item; !(item = q.take()).equals("STOP"); ) {
          out.add(item);
        }
        m.<String>list(args[1]).addAll(out);
      }
    }
  }

  /** {@code dictName}: stores a counter proxy (and a list proxy) in the dict. */
  public static final class ProxyStorer {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedCounter c = m.counter("by-reference");
        c.set(41);
        SharedDict<String, Object> d = m.dict(args[0]);
        d.put("counter", c);
        d.put("nested", java.util.List.of(m.list("inner")));
      }
    }
  }

  /** {@code dictName}: uses the proxies another process stored; exits 0 if they are live. */
  public static final class ProxyUser {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        SharedDict<String, Object> d = m.dict(args[0]);
        io.jmanager.client.SharedCounter c = (io.jmanager.client.SharedCounter) d.get("counter");
        long v = c.incrementAndGet();
        @SuppressWarnings("unchecked")
        io.jmanager.client.SharedList<String> inner =
            (io.jmanager.client.SharedList<String>) ((java.util.List<?>) d.get("nested")).get(0);
        inner.add("from the user");
        System.exit(v == 42 && c.name().equals("by-reference") ? 0 : 4);
      }
    }
  }

  /**
   * {@code lock|rlock|semaphore|barrier name}: takes the lock (the rlock twice over), or a permit,
   * or waits at the barrier; then records its pid in the dict "holders" and holds on until killed.
   * If the lock or permit is taken, it waits for it first: a test that holds it sees a waiter.
   */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      Manager m = Manager.fromEnvironment();
      switch (args[0]) {
        case "lock" -> m.lock(args[1]).lock();
        case "rlock" -> {
          m.rlock(args[1]).lock();
          m.rlock(args[1]).lock();
        }
        case "semaphore" -> m.semaphore(args[1], 1).acquire();
        case "barrier" -> {
          m.dict("holders").put(args[1], ProcessHandle.current().pid());
          m.barrier(args[1], 3).await();
        }
        default -> throw new IllegalArgumentException(args[0]);
      }
      m.dict("holders").put(args[1], ProcessHandle.current().pid());
      Thread.sleep(Long.MAX_VALUE); // hold until killed
    }
  }

  /** {@code lockName dictName n}: n times lock; v = get; put(v + 1); unlock. */
  public static final class LockedIncrementer {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedLock lock = m.lock(args[0]);
        SharedDict<String, Integer> d = m.dict(args[1]);
        for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
          lock.lock();
          try {
            Integer v = d.get("n");
            d.put("n", v == null ? 1 : v + 1);
          } finally {
            lock.unlock();
          }
        }
      }
    }
  }

  /** {@code conditionName}: waits on the condition, then counts itself woken. */
  public static final class ConditionWaiter {
    public static void main(String[] args) throws InterruptedException {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedCondition c = m.condition(args[0]);
        c.lock();
        try {
          m.counter(args[0] + ".waiting").incrementAndGet();
          c.await();
          m.counter(args[0] + ".woken").incrementAndGet();
        } finally {
          c.unlock();
        }
      }
    }
  }

  /** {@code eventName}: waits for the event; exits 0 once it is set. */
  public static final class EventWaiter {
    public static void main(String[] args) throws InterruptedException {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedEvent e = m.event(args[0]);
        m.counter(args[0] + ".waiting").incrementAndGet();
        e.await();
        System.exit(e.isSet() ? 0 : 5);
      }
    }
  }

  /** {@code barrierName parties}: awaits and records its arrival index. */
  public static final class BarrierAwaiter {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.fromEnvironment()) {
        int index = m.barrier(args[0], Integer.parseInt(args[1])).await();
        m.<Long, Integer>dict(args[0] + ".indices").put(ProcessHandle.current().pid(), index);
      }
    }
  }

  /** {@code queueName threads}: that many threads take from the queue, forever (until killed). */
  public static final class Takers {
    public static void main(String[] args) throws InterruptedException {
      Manager m = Manager.fromEnvironment();
      io.jmanager.client.SharedQueue<Object> q = m.queue(args[0]);
      for (int i = 0, n = Integer.parseInt(args[1]); i < n; i++) {
        new Thread(() -> {
          try {
            while (true) {
              q.take();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts it: only a kill ends it
          }
        }).start();
      }
      Thread.currentThread().join();
    }
  }

  /**
   * {@code queueName listName threads}: that many threads each take one item, and the items go into
   * the list; exits 0 once every thread has its item.
   */
  public static final class OneTakeEach {
    public static void main(String[] args) throws InterruptedException {
      try (Manager m = Manager.fromEnvironment()) {
        io.jmanager.client.SharedQueue<Object> q = m.queue(args[0]);
        java.util.Queue<Object> got = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
          Thread t = new Thread(() -> {
            try {
              got.add(q.take());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          t.start();
          threads.add(t);
        }
        for (Thread t : threads) {
          t.join(120_000);
        }
        m.list(args[1]).addAll(got);
        System.exit(got.size() == threads.size() ? 0 : 6);
      }
    }
  }

  /**
   * {@code queueName listName n}: takes n items on one connection and closes it normally, then
   * reports them in the list through a second connection.
   */
  public static final class TakeThenClose {
    public static void main(String[] args) throws InterruptedException {
      java.util.List<Object> got = new java.util.ArrayList<>();
      Manager taker = Manager.fromEnvironment();
      io.jmanager.client.SharedQueue<Object> q = taker.queue(args[0]);
      for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
        got.add(q.take());
      }
      taker.close();
      try (Manager reporter = Manager.fromEnvironment()) {
        reporter.list(args[1]).addAll(got);
      }
    }
  }
  /**
   * {@code prefix n}: n rounds of a counter increment and a dict put through whatever daemon the
   * client reaches; a call whose connection dropped counts as unknown and the next goes on (the
   * client reconnects). Prints {@code acked=A unknown=U}; the puts acknowledged are {@code
   * prefix-i -> i} for every acknowledged i.
   */
  public static final class ClusterWriter {
    public static void main(String[] args) {
      String prefix = args[0];
      int n = Integer.parseInt(args[1]);
      int acked = 0;
      int unknown = 0;
      java.util.List<Integer> ackedPuts = new java.util.ArrayList<>();
      String first;
      String last;
      try (Manager m = Manager.fromEnvironment()) {
        first = m.address();
        io.jmanager.client.SharedCounter counter = m.counter("failover.counter");
        SharedDict<String, Integer> d = m.dict("failover.dict");
        for (int i = 0; i < n; i++) {
          try {
            counter.incrementAndGet();
            acked++;
          } catch (io.jmanager.client.ConnectionLostException e) {
            unknown++;
          }
          try {
            d.put(prefix + "-" + i, i);
            ackedPuts.add(i);
          } catch (io.jmanager.client.ConnectionLostException e) {
            // outcome unknown: not counted either way
          }
        }
        last = m.address();
      }
      System.out.println("first=" + first + " last=" + last);
      System.out.println("acked=" + acked + " unknown=" + unknown + " puts=" + ackedPuts.size()
          + " last=" + (ackedPuts.isEmpty() ? -1 : ackedPuts.get(ackedPuts.size() - 1)));
      System.out.println("put-list=" + ackedPuts.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
    }
  }
}
