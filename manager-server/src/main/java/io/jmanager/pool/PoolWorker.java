package io.jmanager.pool;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker JVM of a {@link ProcessPool}: runs the pool's initializer, then takes chunks of tasks
 * from its own queue on the daemon, runs them, and puts their outcomes on the pool's results
 * queue, until told to stop or, with {@code maxTasksPerChild}, after that many chunks. Started by
 * the pool with {@code JMANAGER_ADDRESS}/{@code JMANAGER_AUTHKEY} set; arguments: {@code pool
 * worker maxTasksPerChild}.
 */
public final class PoolWorker {
  private PoolWorker() {}

  public static void main(String[] args) throws Exception {
    try {
      serve(args);
    } catch (io.jmanager.client.ConnectionLostException e) {
      // the pool is gone (its daemon stopped with it): nothing is left to do
      System.err.println("pool worker " + ProcessHandle.current().pid() + " stops: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void serve(String[] args) throws Exception {
    String pool = args[0];
    int worker = Integer.parseInt(args[1]);
    int maxTasks = Integer.parseInt(args[2]);
    try (Manager m = Manager.fromEnvironment()) {
      SharedQueue<byte[]> tasks = m.queue(ProcessPool.taskQueue(pool, worker));
      SharedQueue<byte[]> results = m.queue(ProcessPool.resultQueue(pool));
      byte[] init = m.<String, byte[]>dict(ProcessPool.configDict(pool)).get("initializer");
      if (init != null) {
        try {
          ((Initializer) PoolMessages.decode(init)).run();
        } catch (Exception | Error e) {
          results.put(PoolMessages.encode(new PoolMessages.InitFailed(worker, PoolMessages.Failed.of(e))));
          return;
        }
      }
      for (int done = 0; maxTasks <= 0 || done < maxTasks; done++) {
        Object message = PoolMessages.decode(tasks.take());
        if (!(message instanceof PoolMessages.Chunk chunk)) {
          return; // Stop
        }
        // before any task runs: were this worker to die now, the pool knows the chunk never ran
        results.put(PoolMessages.encode(new PoolMessages.Started(worker, chunk.job(), chunk.firstIndex())));
        results.put(encode(run(worker, chunk)));
      }
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
  static PoolMessages.Done run(int worker, PoolMessages.Chunk chunk) {
    List<Object> outcomes = new ArrayList<>(chunk.items().size());
    for (Object item : chunk.items()) {
      Object outcome;
      try {
        outcome = switch (chunk.arity()) {
          case 1 -> ((Task) chunk.fn()).apply(item);
          case 2 -> ((Task2) chunk.fn()).apply(((List<?>) item).get(0), ((List<?>) item).get(1));
          default -> ((Task3) chunk.fn()).apply(((List<?>) item).get(0), ((List<?>) item).get(1), ((List<?>) item).get(2));
        };
      } catch (Exception | StackOverflowError | AssertionError e) {
        outcome = PoolMessages.Failed.of(e);
      }
      outcomes.add(outcome);
    }
    return new PoolMessages.Done(worker, chunk.job(), chunk.firstIndex(), outcomes);
  }
}
