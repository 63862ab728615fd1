package io.jmanager.demo;

// tour:start
import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedNamespace;
import io.jmanager.client.SharedValue;
import io.jmanager.client.WorkerProcess;
import io.jmanager.server.ManagerServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
// tour:end

/**
 * The README's "Five-minute tour" as a program. The README's tour block is a verbatim copy of the
 * regions between {@code // tour:start} and {@code // tour:end} (ReadmeTourTest keeps them equal),
 * and what the tour's comments say each call returns is checked after it: a wrong value prints
 * what it got and exits with status 1.
 */
public final class Tour {
  private Tour() {}

  public static void main(String[] args) throws InterruptedException {
    // tour:start
    // in the parent: a daemon in this JVM, on a free port, with a fresh key
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    ManagerServer server = ManagerServer.builder().port(0).authkey(key).start();
    Manager m = Manager.builder().address(server.address()).authkey(key).connect();
    // or a daemon started by bin/jmanager server (key: JMANAGER_AUTHKEY or ~/.jmanager/authkey):
    //   Manager.connect("127.0.0.1:50000");                              // TCP, any host
    //   Manager.connect("unix:/home/me/.jmanager/jmanager-50000.sock");  // Unix socket, this host
    //   Manager.fromEnvironment();                                       // in a worker JVM

    SharedDict<String, Integer> hits = m.dict("hits");    // get-or-create by name
    hits.merge("home", 1, Integer::sum);                  // atomic across processes (a CAS loop)
    long n = hits.increment("home", 5);                   // 6, in one round trip; still an Integer
    HashMap<String, Integer> snapshot = hits.copy();      // {home=6}; keySet() etc. are copies too

    SharedList<String> log = m.list("log");               // java.util.List; iterator() is a copy
    log.add("started");
    SharedCounter jobs = m.counter("jobs");               // get, addAndGet, compareAndSet...
    jobs.addAndGet(3);
    SharedValue<String> phase = m.value("phase", "new");  // "new" only if this call creates it
    phase.set("running");
    SharedNamespace cfg = m.namespace("cfg");             // named attributes: get, set, delete
    cfg.set("threads", 8);                                // cfg.get("threads") is 8 everywhere

    // start worker JVMs with this classpath, wired to the same daemon
    WorkerProcess w = WorkerProcess.of(Worker.class, "worker").manager(m).start();
    w.join(Duration.ofSeconds(30));                       // true once it has exited
    System.out.println(hits.copy());                      // {worker=1, home=6}

    m.delete("log");                                      // also names(), exists(name), info()
    m.close();                                            // disconnect; shutdown() stops the daemon
    // tour:end

    // what the comments above say, checked through a second connection
    try (Manager again = Manager.builder().address(server.address()).authkey(key).connect()) {
      expect("hits.increment(\"home\", 5)", n, 6L);
      expect("hits.copy()", snapshot.toString(), "{home=6}");
      expect("the worker's exit code", w.exitCode().orElse(-1), 0);
      expect("hits after the worker", again.dict("hits").copy().toString(), "{worker=1, home=6}");
      Object home = again.dict("hits").get("home");
      expect("the type of hits' value for \"home\"", home.getClass(), Integer.class);
      expect("jobs", again.counter("jobs").get(), 3L);
      expect("phase", again.value("phase", "ignored").get(), "running");
      expect("cfg's threads", again.namespace("cfg").get("threads"), 8);
      expect("whether \"log\" exists after delete", again.exists("log"), false);
    } finally {
      server.close();
    }
    System.out.println("tour: every value is what the tour says");
  }

  // tour:start
  /** Runs in each worker JVM, where WorkerProcess has set JMANAGER_ADDRESS and JMANAGER_AUTHKEY. */
  public static final class Worker {
    public static void main(String[] args) {
      try (Manager wm = Manager.fromEnvironment()) {
        wm.<String, Integer>dict("hits").merge(args[0], 1, Integer::sum);
      }
    }
  }
  // tour:end

  /** Exits with status 1, saying what differs, unless {@code actual} equals {@code expected}. */
  private static void expect(String what, Object actual, Object expected) {
    if (!expected.equals(actual)) {
      System.err.println("tour: " + what + " is " + actual + ", but the tour says " + expected);
      System.exit(1);
    }
  }
}
