package io.jmanager.pool;

import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Authkeys;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A worker JVM of a {@link ProcessPool}: runs the pool's initializer, then takes chunks of tasks
 * from its own queue on the daemon, says it started each, runs it, and puts its outcomes on the
 * pool's results queue, until told to stop or, with {@code maxTasksPerChild}, after that many
 * chunks.
 *
 * <p>Two ways in: started by the pool ({@code pool worker maxTasksPerChild}, with {@code
 * JMANAGER_ADDRESS}/{@code JMANAGER_AUTHKEY} set), or joining a named pool from any host: {@code
 * bin/jmanager pool-worker --address HOST:PORT --pool NAME} ({@link Join}).
 */
public final class PoolWorker {
  private PoolWorker() {}

  /** How many jobs' functions a worker keeps, to reuse when the same function comes again. */
  static final int RECENT_FUNCTIONS = 16;

  /**
   * Runs a worker: with {@code pool worker maxTasksPerChild}, as the pool starts it; with options
   * ({@code --address}, {@code --pool}, ...), as {@code bin/jmanager pool-worker} joins a named
   * pool. Exits the JVM when done.
   *
   * @param args the pool's arguments, or the options of {@code pool-worker}
   * @throws Exception a failure to run the worker, printed by the JVM as it exits
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.exit(io.jmanager.server.Main.commandLine(new Join()).execute(args));
    }
    try (Manager m = Manager.fromEnvironment()) {
      serve(m, args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    } catch (ConnectionLostException e) {
      // the pool is gone (its daemon stopped with it): nothing is left to do
      System.err.println("pool worker " + ProcessHandle.current().pid() + " stops: " + e.getMessage());
      System.exit(2);
    }
  }

  /** {@code bin/jmanager pool-worker}: joins a named pool on a daemon, with one or more worker JVMs. */
  @Command(name = "pool-worker", mixinStandardHelpOptions = true,
      description = "Joins the ProcessPool named NAME "
          + "(ProcessPool.builder().manager(m).name(NAME)) on the daemon at ADDRESS with worker "
          + "JVMs of this host, which run its tasks until it closes.")
  static final class Join implements Callable<Integer> {
    @Option(names = "--address", required = true,
        description = "The pool's daemon: host:port, unix:/path/to/socket, or a comma-separated "
            + "list of these tried in order.")
    String address;

    @Option(names = "--pool", required = true, paramLabel = "NAME",
        description = "The pool's name, as its builder's name(NAME) gave it.")
    String pool;

    @Option(names = "--processes", defaultValue = "1",
        description = "The number of worker JVMs to run here; the default is ${DEFAULT-VALUE}.")
    int processes;

    @Option(names = "--authkey-file",
        description = "The daemon's authkey file; by default, the key comes from "
            + "JMANAGER_AUTHKEY, else from ~/.jmanager/authkey.")
    Path authkeyFile;

    @Option(names = "--classpath", paramLabel = "CP",
        description = "The jars and directories of the pool's code, which bin/jmanager adds to "
            + "the workers' classpath.")
    String classpath;

    @Override
    public Integer call() throws Exception {
      byte[] key = authkeyFile != null ? Authkeys.read(authkeyFile) : Authkeys.fromEnvironmentOrHome();
      if (processes < 1) {
        throw new IllegalArgumentException("--processes must be at least 1");
      }
      if (processes > 1) { // one JVM per worker, as the pool's own: this one waits for them
        List<WorkerProcess> workers = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
          workers.add(WorkerProcess.of(PoolWorker.class, "--address", address, "--pool", pool)
              .manager(address, key).start());
        }
        int worst = 0;
        for (WorkerProcess w : workers) {
          worst = Math.max(worst, w.join());
        }
        return worst;
      }
      try (Manager m = Manager.builder().address(address).authkey(key).connect()) {
        String id = "pool." + pool;
        if (!m.exists(ProcessPool.resultQueue(id))) {
          throw new IllegalArgumentException("no pool named '" + pool + "' on the daemon at " + address);
        }
        int seq = (int) m.counter(ProcessPool.seqCounter(id)).incrementAndGet();
        SharedLock alive = m.lock(ProcessPool.aliveLock(id, seq));
        alive.lock(); // held while this worker lives: the daemon frees it when the connection closes
        m.<byte[]>queue(ProcessPool.resultQueue(id)).add(PoolMessages.encode(
            new PoolMessages.Joined(seq, ProcessHandle.current().pid(), InetAddress.getLocalHost().getHostName())));
        System.out.println("joined pool '" + pool + "' at " + address + " as worker " + seq);
        System.out.flush();
        serve(m, id, seq, 0);
        return 0;
      } catch (ConnectionLostException e) {
        System.err.println("pool worker " + ProcessHandle.current().pid() + " stops: " + e.getMessage());
        return 2;
      }
    }
  }

  /** Runs the pool's initializer, then its chunks, until told to stop or after {@code maxTasks} chunks. */
  static void serve(Manager m, String pool, int worker, int maxTasks) throws Exception {
    SharedQueue<byte[]> tasks = m.queue(ProcessPool.taskQueue(pool, worker));
    SharedQueue<byte[]> results = m.queue(ProcessPool.resultQueue(pool));
    byte[] init = m.<String, byte[]>dict(ProcessPool.configDict(pool)).get("initializer");
    if (init != null) {
      try {
        ((Initializer) PoolMessages.javaDeserialized(init)).run();
      } catch (Exception | Error e) {
        results.put(PoolMessages.encode(new PoolMessages.InitFailed(worker, PoolMessages.Failed.of(e))));
        return;
      }
    }
    long fnJob = -1;
    Object fn = null;
    // the functions of recent jobs, by their bytes: a map of the same function again reuses the
    // object (deserializing a lambda spins a new class each time, which the JIT meets cold)
    java.util.Map<java.nio.ByteBuffer, Object> functions = new java.util.LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(java.util.Map.Entry<java.nio.ByteBuffer, Object> eldest) {
        return size() > RECENT_FUNCTIONS;
      }
    };
    for (int done = 0; maxTasks <= 0 || done < maxTasks; done++) {
      Object message = PoolMessages.decode(tasks.take());
      if (!(message instanceof PoolMessages.Chunk chunk)) {
        return; // Stop
      }
      // before any task runs: were this worker to die now, the pool knows the chunk never ran
      results.put(PoolMessages.encode(new PoolMessages.Started(worker, chunk.job(), chunk.firstIndex())));
      if (chunk.job() != fnJob) { // the function, once per job
        fn = functions.computeIfAbsent(java.nio.ByteBuffer.wrap(chunk.fn()), b -> PoolMessages.javaDeserialized(chunk.fn()));
        fnJob = chunk.job();
      }
      results.put(encode(run(worker, chunk, fn)));
    }
  }

  /** The outcomes as bytes; a result that cannot be serialized fails its own task, not the chunk. */
  static byte[] encode(PoolMessages.Done done) {
    try {
      return PoolMessages.encode(done);
    } catch (IllegalArgumentException notSerializable) {
      List<Object> outcomes = new ArrayList<>(done.outcomes().size());
      for (Object o : done.outcomes()) {
        try {
          PoolMessages.encode(o);
          outcomes.add(o);
        } catch (IllegalArgumentException e) {
          outcomes.add(PoolMessages.Failed.of(new IllegalArgumentException("the task's result " + e.getMessage(), e)));
        }
      }
      return PoolMessages.encode(new PoolMessages.Done(done.worker(), done.job(), done.firstIndex(), outcomes));
    }
  }

  /** Runs every task of {@code chunk}; a task that throws fails alone. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static PoolMessages.Done run(int worker, PoolMessages.Chunk chunk, Object fn) {
    List<Object> outcomes = new ArrayList<>(chunk.items().size());
    for (Object item : chunk.items()) {
      Object outcome;
      try {
        outcome = switch (chunk.arity()) {
          case 1 -> ((Task) fn).apply(item);
          case 2 -> ((Task2) fn).apply(((List<?>) item).get(0), ((List<?>) item).get(1));
          default -> ((Task3) fn).apply(((List<?>) item).get(0), ((List<?>) item).get(1), ((List<?>) item).get(2));
        };
      } catch (Exception | StackOverflowError | AssertionError e) {
        outcome = PoolMessages.Failed.of(e);
      }
      outcomes.add(outcome);
    }
    return new PoolMessages.Done(worker, chunk.job(), chunk.firstIndex(), outcomes);
  }
}
