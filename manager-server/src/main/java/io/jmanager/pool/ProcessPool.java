package io.jmanager.pool;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Authkeys;
import io.jmanager.server.ManagerServer;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of worker JVMs that runs the caller's functions: Python's {@code multiprocessing.Pool} and
 * {@code ProcessPoolExecutor} for the JVM. Workers are {@link WorkerProcess}es of this JVM's
 * classpath running {@link PoolWorker}; tasks and results travel as opaque bytes through a jmanager
 * daemon (the pool's own, embedded in this JVM, unless a {@link Manager} is given), which never
 * decodes them.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create(4)) {
 *   List<Long> counts = pool.map(Primes::count, ranges);          // in order, chunked
 *   CompletableFuture<Long> one = pool.submit(Primes::count, range);
 * }                                                                // close(): finish, then stop the workers
 * }</pre>
 *
 * <p><b>Dispatch.</b> The pool hands each worker up to two chunks of tasks at a time (the next waits
 * while it runs one), on a queue of that worker's own, and the worker says so before it starts
 * each: so the pool always knows what every worker is running. A task that throws fails alone. A
 * worker that dies (exits, is killed, runs out of memory) is replaced: chunks it had not started go
 * to another worker; the tasks of the chunk it was running fail with {@link WorkerDiedException}
 * (or run again, up to {@link Builder#retries} times). Nothing waits for a worker that is gone, so
 * the pool never hangs.
 *
 * <p>Thread-safe.
 */
public final class ProcessPool implements AutoCloseable {
  /** Workers that die one after another before finishing a chunk, after which the pool gives up. */
  static final int MAX_FAILED_STARTS = 5;

  private enum State { RUNNING, CLOSING, TERMINATED }

  private static final AtomicLong POOLS = new AtomicLong();

  private final Manager manager;
  private final ManagerServer embedded; // null when the pool runs on a given manager
  private final String id;
  private final SharedQueue<byte[]> results;
  private final int processes;
  private final int maxTasksPerChild;
  private final int retries;
  private final List<String> jvmArgs;
  private final Thread reader;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicBoolean finishing = new java.util.concurrent.atomic.AtomicBoolean();

  // guarded by this
  private final Map<Integer, Worker> workers = new HashMap<>();
  private final ArrayDeque<Pending> backlog = new ArrayDeque<>();
  private int nextWorker;
  private long nextJob;
  private int failedStarts;
  private State state = State.RUNNING;
  private RuntimeException broken; // why the pool cannot run tasks any more

  /** One worker JVM and what it runs. */
  private static final class Worker {
    final int seq;
    final SharedQueue<byte[]> tasks;
    WorkerProcess process; // null for a worker that joined from elsewhere
    long pid;
    Thread watcher; // a joined worker's: waits on its liveness lock
    final ArrayDeque<Pending> assigned = new ArrayDeque<>(); // handed to it, in order, until their outcomes arrive
    int started; // how many of {@code assigned}, from the first, it said it started
    int chunks; // chunks finished
    boolean stopping;

    Worker(int seq, SharedQueue<byte[]> tasks) {
      this.seq = seq;
      this.tasks = tasks;
    }
  }

  /**
   * A job: one call of map, imap, starmap or submit. Its tasks' outcomes go into an array (a
   * {@link Failure} for a task that failed), and {@code all} completes with the last; a job whose
   * caller waits task by task (imap, submit) has a future per task too.
   */
  private static final class Job {
    final long id;
    final byte[] fn;
    final int arity;
    final Object[] outcomes; // guarded by the pool; read once {@code all} is done
    final CompletableFuture<Object>[] futures; // null: the caller waits for them all (map, starmap)
    final CompletableFuture<Void> all = new CompletableFuture<>();
    int left; // tasks without an outcome; guarded by the pool

    @SuppressWarnings("unchecked")
    Job(long id, byte[] fn, int arity, int size, boolean perTask) {
      this.id = id;
      this.fn = fn;
      this.arity = arity;
      this.outcomes = new Object[size];
      this.left = size;
      this.futures = perTask ? new CompletableFuture[size] : null;
      if (perTask) {
        for (int i = 0; i < size; i++) {
          futures[i] = new CompletableFuture<>();
        }
      }
      if (size == 0) {
        all.complete(null);
      }
    }
  }

  /** A task's outcome that is a failure. */
  private record Failure(Throwable cause) {}

  /** A task's outcome that is {@code null}: an outcome slot is empty until set. */
  private static final Object NULL = new Object();

  /**
   * Chunks handed to a worker at once while more chunks wait than there are workers: the next
   * waits in its queue while it runs one, so it never idles for a round trip between chunks.
   */
  static final int DEPTH = 4;

  /** A chunk of a job not yet finished: items {@code firstIndex..} and how often it was started. */
  private record Pending(Job job, long firstIndex, List<?> items, int attempts) {}

  private ProcessPool(Builder b) {
    this.processes = b.processes;
    this.maxTasksPerChild = b.maxTasksPerChild;
    this.retries = b.retries;
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.id = b.name != null ? "pool." + b.name : "pool." + ProcessHandle.current().pid() + "." + POOLS.incrementAndGet();
    if (b.manager != null) {
      this.manager = b.manager;
      this.embedded = null;
    } else {
      byte[] key = Authkeys.random();
      this.embedded = ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key).start();
      this.manager = Manager.builder().address(embedded.address()).authkey(key).connect();
    }
    try {
      if (manager.exists(resultQueue(id))) {
        throw new IllegalStateException("a pool named '" + b.name + "' runs on this daemon already");
      }
      this.results = manager.queue(resultQueue(id));
      Map<String, byte[]> config = manager.dict(configDict(id));
      if (b.initializer != null) {
        config.put("initializer", PoolMessages.javaSerialized(b.initializer));
      }
      config.put("maxTasksPerChild", Integer.toString(maxTasksPerChild).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      synchronized (this) {
        for (int i = 0; i < processes; i++) {
          startWorker();
        }
      }
    } catch (RuntimeException e) {
      shutDownDaemon();
      throw e;
    }
    this.reader = new Thread(this::read, "jmanager-pool-results");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * {@return a builder for a pool with options other than the defaults} Nothing starts until {@link
   * Builder#start()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a started pool of one worker per available processor, on a daemon of its own} Blocks
   * until the workers are launched, not until they are ready: tasks wait for them.
   */
  public static ProcessPool create() {
    return builder().start();
  }

  /**
   * {@return a started pool of {@code processes} workers, on a daemon of its own}
   *
   * @param processes the number of worker JVMs, at least 1
   * @throws IllegalArgumentException if {@code processes} is less than 1
   */
  public static ProcessPool create(int processes) {
    return builder().processes(processes).start();
  }

  /** Options for a pool. */
  public static final class Builder {
    private int processes = Runtime.getRuntime().availableProcessors();
    private Manager manager;
    private Initializer initializer;
    private int maxTasksPerChild;
    private int retries;
    private List<String> jvmArgs = List.of();
    private String name;

    private Builder() {}

    /**
     * How many worker JVMs of this host the pool keeps running (default: the available
     * processors). Zero, with a {@link #manager} and a {@link #name}, for a pool of joined
     * workers only.
     *
     * @param processes the number of worker JVMs this pool starts and replaces
     * @return this builder
     * @throws IllegalArgumentException if {@code processes} is negative
     */
    public Builder processes(int processes) {
      if (processes < 0) {
        throw new IllegalArgumentException("processes must not be negative, got " + processes);
      }
      this.processes = processes;
      return this;
    }

    /**
     * Names the pool on its daemon, so that workers on other hosts can join it with {@code
     * bin/jmanager pool-worker --address ... --pool NAME}. Needs a {@link #manager} whose daemon they
     * can reach.
     *
     * @param name letters, digits, {@code _}, {@code .} and {@code -}; unique on the daemon
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is null or has other characters
     */
    public Builder name(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("a pool name is letters, digits, '_', '.' and '-'; got " + name);
      }
      this.name = name;
      return this;
    }

    /**
     * Runs the pool on this manager's daemon instead of one embedded in this JVM. The pool does not
     * close it.
     *
     * @param manager a connected manager; its workers connect to the same daemon
     * @return this builder
     */
    public Builder manager(Manager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /**
     * Runs once in each worker before its first task; if it throws, the pool fails every task.
     *
     * @param initializer serializable code, such as a method reference
     * @return this builder
     */
    public Builder initializer(Initializer initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    /**
     * A worker is replaced after this many chunks (Python's {@code maxtasksperchild}); 0: never.
     *
     * @param chunks chunks a worker runs before it exits, or 0 (default)
     * @return this builder
     * @throws IllegalArgumentException if {@code chunks} is negative
     */
    public Builder maxTasksPerChild(int chunks) {
      if (chunks < 0) {
        throw new IllegalArgumentException("maxTasksPerChild must not be negative, got " + chunks);
      }
      this.maxTasksPerChild = chunks;
      return this;
    }

    /**
     * How often a chunk whose worker died is run again before its tasks fail (default 0). Retry
     * only tasks that are safe to run twice.
     *
     * @param retries runs after the first
     * @return this builder
     * @throws IllegalArgumentException if {@code retries} is negative
     */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative, got " + retries);
      }
      this.retries = retries;
      return this;
    }

    /**
     * Options for the worker JVMs, such as {@code -Xmx512m}; replaces any given before.
     *
     * @param args JVM options, one per element
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      this.jvmArgs = List.of(args);
      return this;
    }

    /**
     * Starts the workers (and the pool's daemon, if no manager was given).
     *
     * @return the running pool
     * @throws IllegalArgumentException if a name was given without a manager, or 0 processes
     *     without a name
     * @throws IllegalStateException if a pool of that name runs on the daemon already
     */
    public ProcessPool start() {
      if (name != null && manager == null) {
        throw new IllegalArgumentException("a named pool needs a manager(...) whose daemon its joining workers reach");
      }
      if (processes == 0 && name == null) {
        throw new IllegalArgumentException("a pool of 0 processes needs a name(...) for workers to join it");
      }
      return new ProcessPool(this);
    }
  }

  static String taskQueue(String pool, int worker) {
    return pool + ".tasks." + worker;
  }

  static String resultQueue(String pool) {
    return pool + ".results";
  }

  static String configDict(String pool) {
    return pool + ".config";
  }

  static String seqCounter(String pool) {
    return pool + ".seq";
  }

  static String aliveLock(String pool, int worker) {
    return pool + ".alive." + worker;
  }

  /**
   * {@return the pool's id on its daemon: {@code pool.NAME} for a named pool, whose joining workers
   * give {@code --pool NAME}}
   */
  public String id() {
    return id;
  }

  // ---- the public operations

  /**
   * Runs {@code fn} over every item, chunked as Python's {@code Pool.map} chunks, and waits for
   * every task.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param items the arguments; each travels as jmanager values do
   * @param <T> the argument type
   * @param <R> the result type
   * @return the results, in the order of {@code items}
   * @throws RuntimeException a task's exception, as itself if unchecked, else in a {@link
   *     CompletionException}; or {@link WorkerDiedException}
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  public <T, R> List<R> map(Task<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return map(fn, items, 0);
  }

  /**
   * {@code fn} over every item, in order, {@code chunksize} items per chunk (0: {@code items /
   * (4 * processes)}, rounded up, as Python computes it). Waits for every task. A task's exception
   * is thrown as itself if unchecked, else in a {@link CompletionException}; the other tasks still
   * run.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param items the arguments
   * @param chunksize items per chunk, or 0 to compute it
   * @param <T> the argument type
   * @param <R> the result type
   * @return the results, in the order of {@code items}
   * @throws RuntimeException a task's exception, as itself if unchecked, else in a {@link
   *     CompletionException}; or {@link WorkerDiedException}
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  public <T, R> List<R> map(Task<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    List<?> list = list(items);
    return collect(submitJob(Objects.requireNonNull(fn, "fn"), 1, list, chunk(chunksize, list.size()), false));
  }

  /**
   * Runs {@code fn} over pairs of arguments (Python's {@code starmap}) and waits for every task.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param argLists one list {@code [a, b]} per task
   * @param <A> the first argument's type
   * @param <B> the second argument's type
   * @param <R> the result type
   * @return the results, in the order of {@code argLists}
   * @throws IllegalArgumentException if an element of {@code argLists} is not a list of 2, or
   *     {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   * @throws RuntimeException a task's exception, as itself if unchecked, else in a {@link
   *     CompletionException}; or {@link WorkerDiedException}
   */
  public <A, B, R> List<R> starmap(Task2<? super A, ? super B, ? extends R> fn, Iterable<? extends List<?>> argLists) {
    List<?> list = arguments(argLists, 2);
    return collect(submitJob(Objects.requireNonNull(fn, "fn"), 2, list, chunk(0, list.size()), false));
  }

  /**
   * Runs {@code fn} over triples of arguments and waits for every task.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param argLists one list {@code [a, b, c]} per task
   * @param <A> the first argument's type
   * @param <B> the second argument's type
   * @param <C> the third argument's type
   * @param <R> the result type
   * @return the results, in the order of {@code argLists}
   * @throws IllegalArgumentException if an element of {@code argLists} is not a list of 3, or
   *     {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   * @throws RuntimeException a task's exception, as itself if unchecked, else in a {@link
   *     CompletionException}; or {@link WorkerDiedException}
   */
  public <A, B, C, R> List<R> starmap(
      Task3<? super A, ? super B, ? super C, ? extends R> fn, Iterable<? extends List<?>> argLists) {
    List<?> list = arguments(argLists, 3);
    return collect(submitJob(Objects.requireNonNull(fn, "fn"), 3, list, chunk(0, list.size()), false));
  }

  /**
   * As {@link #map}, lazily: results in order, each as soon as it and those before it are ready
   * (chunks of 1). The tasks are submitted now.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param items the arguments
   * @param <T> the argument type
   * @param <R> the result type
   * @return an iterator whose {@code next()} waits for the next result and throws a task's failure
   *     as {@link #map} does
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  public <T, R> Iterator<R> imap(Task<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return imap(fn, items, 1);
  }

  /**
   * As {@link #imap(Task, Iterable)}, {@code chunksize} items per chunk.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param items the arguments
   * @param chunksize items per chunk; less than 1 counts as 1
   * @param <T> the argument type
   * @param <R> the result type
   * @return an iterator whose {@code next()} waits for the next result in order
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  public <T, R> Iterator<R> imap(Task<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    List<?> list = list(items);
    Job job = submitJob(Objects.requireNonNull(fn, "fn"), 1, list, Math.max(1, chunksize), true);
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < job.futures.length;
      }

      @Override
      @SuppressWarnings("unchecked")
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return (R) outcome(job.futures[next++]);
      }
    };
  }

  /**
   * As {@link #imap}, in the order results come in.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param items the arguments
   * @param <T> the argument type
   * @param <R> the result type
   * @return an iterator whose {@code next()} waits for the next result to finish, whichever it is
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  public <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return imapUnordered(fn, items, 1);
  }

  /**
   * As {@link #imapUnordered(Task, Iterable)}, {@code chunksize} items per chunk.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param items the arguments
   * @param chunksize items per chunk; less than 1 counts as 1
   * @param <T> the argument type
   * @param <R> the result type
   * @return an iterator whose {@code next()} waits for the next result to finish
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  @SuppressWarnings("unchecked")
  public <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    List<?> list = list(items);
    Job job = submitJob(Objects.requireNonNull(fn, "fn"), 1, list, Math.max(1, chunksize), true);
    Iterator<CompletableFuture<Object>> done = asCompleted(List.of(job.futures)).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return done.hasNext();
      }

      @Override
      public R next() {
        return (R) outcome(done.next());
      }
    };
  }

  /**
   * Runs {@code fn(item)} in a worker. The future completes with the result, or exceptionally with
   * the task's exception (a JDK type as itself, with the worker's stack; any other as {@link
   * io.jmanager.client.RemoteException}), or {@link WorkerDiedException}.
   *
   * @param fn the function; it travels by Java serialization, so it must be a method reference or a
   *     lambda capturing only serializable values
   * @param item the argument
   * @param <T> the argument type
   * @param <R> the result type
   * @return the task's future; returned without waiting
   * @throws IllegalArgumentException if {@code fn} is not serializable
   * @throws IllegalStateException if the pool is closed or terminated, or cannot run tasks any more
   */
  @SuppressWarnings("unchecked")
  public <T, R> CompletableFuture<R> submit(Task<? super T, ? extends R> fn, T item) {
    List<Object> one = new ArrayList<>(1);
    one.add(item);
    return (CompletableFuture<R>) (CompletableFuture<?>) submitJob(Objects.requireNonNull(fn, "fn"), 1, one, 1, true).futures[0];
  }

  /**
   * The futures, in the order they complete (Python's {@code concurrent.futures.as_completed}):
   * the iterator's {@code next()} waits for the next one.
   *
   * @param futures the futures to wait for; copied now
   * @param <F> the futures' type
   * @return an iterable whose iterator yields each future once, as it completes; an interrupt does
   *     not end the wait, and the flag is kept
   */
  public static <F extends CompletableFuture<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
    List<F> copy = List.copyOf(futures);
    BlockingQueue<F> done = new LinkedBlockingQueue<>();
    copy.forEach(f -> f.whenComplete((v, e) -> done.add(f)));
    return () -> new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        return taken < copy.size();
      }

      @Override
      public F next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        taken++;
        boolean interrupted = false;
        try {
          while (true) {
            try {
              return done.take();
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }

  /**
   * {@return the number of worker JVMs the pool keeps running, as built; joined workers not
   * counted}
   */
  public int processes() {
    return processes;
  }

  /**
   * {@return the pids of the worker JVMs running now, joined ones included (theirs are of their
   * hosts)}
   */
  public synchronized List<Long> workerPids() {
    return workers.values().stream().map(w -> w.pid).toList();
  }

  /**
   * Takes no more tasks, finishes every task already given, stops the workers and waits for them
   * to exit (then stops the pool's own daemon); as {@code ExecutorService.close()}. Idempotent.
   */
  @Override
  public void close() {
    List<Runnable> completions = new ArrayList<>();
    synchronized (this) {
      if (state == State.RUNNING) {
        state = State.CLOSING;
        dispatch();
        finishIfDone(completions);
      }
    }
    completions.forEach(Runnable::run);
    join();
  }

  /**
   * Stops now: kills the workers, fails every unfinished task with {@link CancellationException},
   * and stops the pool's own daemon. Idempotent.
   */
  public void terminate() {
    List<Worker> killed;
    List<Runnable> completions = new ArrayList<>();
    synchronized (this) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
      killed = new ArrayList<>(workers.values());
      workers.clear();
      CancellationException cancelled = new CancellationException("the pool was terminated");
      backlog.forEach(p -> failChunk(p, k -> cancelled, completions));
      backlog.clear();
      killed.forEach(w -> w.assigned.forEach(p -> failChunk(p, k -> cancelled, completions)));
    }
    for (Worker w : killed) {
      if (w.process != null) {
        w.process.kill();
      } else {
        try {
          w.tasks.add(PoolMessages.encode(new PoolMessages.Stop())); // a joined worker: it stops between chunks
        } catch (RuntimeException gone) {
          // its daemon is gone too
        }
        w.watcher.interrupt();
      }
    }
    for (Worker w : killed) {
      try {
        if (w.process != null) {
          w.process.join(java.time.Duration.ofSeconds(10));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    completions.forEach(Runnable::run);
    finish();
  }

  /**
   * Waits until every worker has exited, after {@link #close} or {@link #terminate}.
   *
   * @throws IllegalStateException if the pool is still running (as Python's {@code join})
   */
  public void join() {
    synchronized (this) {
      if (state == State.RUNNING) {
        throw new IllegalStateException("join() needs close() or terminate() first");
      }
    }
    finished.join();
  }

  // ---- jobs and dispatch

  private static List<Object> list(Iterable<?> items) {
    Objects.requireNonNull(items, "items");
    if (items instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    List<Object> out = new ArrayList<>();
    items.forEach(out::add);
    return out;
  }

  private static List<?> arguments(Iterable<? extends List<?>> argLists, int arity) {
    List<Object> list = list(argLists);
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof List<?> args) || args.size() != arity) {
        throw new IllegalArgumentException("starmap with a function of " + arity + " arguments needs lists of "
            + arity + " arguments; item " + i + " is " + list.get(i));
      }
      list.set(i, new ArrayList<>(args)); // a plain list, whatever the caller's was
    }
    return list;
  }

  /** Python's chunk size for {@code n} items: {@code ceil(n / (4 * workers))}. */
  private int chunk(int chunksize, int n) {
    if (chunksize > 0) {
      return chunksize;
    }
    int workerCount;
    synchronized (this) {
      workerCount = Math.max(1, Math.max(processes, workers.size()));
    }
    return Math.max(1, (n + 4 * workerCount - 1) / (4 * workerCount));
  }

  /** Queues {@code items} in chunks of {@code chunksize} and hands them to idle workers. */
  @SuppressWarnings("unchecked")
  private Job submitJob(Serializable fn, int arity, List<?> items, int chunksize, boolean perTask) {
    byte[] fnBytes = PoolMessages.javaSerialized(fn); // an unserializable function fails here, in the caller
    synchronized (this) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("the pool is " + (state == State.CLOSING ? "closed" : "terminated")
            + ": it takes no new tasks");
      }
      if (broken != null) {
        throw broken;
      }
      Job job = new Job(nextJob++, fnBytes, arity, items.size(), perTask);
      for (int from = 0; from < items.size(); from += chunksize) {
        backlog.add(new Pending(job, from, items.subList(from, Math.min(items.size(), from + chunksize)), 0));
      }
      dispatch();
      return job;
    }
  }

  /**
   * Hands chunks to workers with room, one each per round so that they share the work (up to
   * {@link #DEPTH} each, and no more than a worker with {@code maxTasksPerChild} will run); once
   * closing and out of work, tells each worker to stop after what it has. The chunks go in one
   * pipeline: one round trip for them all.
   */
  private void dispatch() {
    List<Runnable> sends = new ArrayList<>();
    for (boolean gave = true; gave; ) {
      gave = false;
      for (Worker w : workers.values()) {
        // more than one chunk only while plenty is left: at the tail, each goes to the first worker free
        if (w.stopping || w.assigned.size() >= (backlog.size() > workers.size() ? DEPTH : 1)
            || w.process != null && maxTasksPerChild != 0 && w.chunks + w.assigned.size() >= maxTasksPerChild) {
          continue;
        }
        Pending p = backlog.poll();
        if (p == null) {
          if (state == State.CLOSING) {
            w.stopping = true;
            byte[] stop = PoolMessages.encode(new PoolMessages.Stop());
            sends.add(() -> w.tasks.add(stop)); // behind its chunks
          }
          continue;
        }
        w.assigned.add(p);
        byte[] chunk = PoolMessages.encode(
            new PoolMessages.Chunk(p.job().id, p.firstIndex(), p.job().fn, p.job().arity, p.items()));
        sends.add(() -> w.tasks.add(chunk));
        gave = true;
      }
    }
    send(sends);
  }

  /** Makes {@code sends}' calls in one pipeline, in order, and throws the first failure of them. */
  private void send(List<Runnable> sends) {
    if (sends.size() <= 1) {
      sends.forEach(Runnable::run); // none, or one: no pipeline needed
      return;
    }
    List<CompletableFuture<Void>> answers = new ArrayList<>(sends.size());
    try (io.jmanager.client.Pipeline pipeline = manager.pipeline()) {
      sends.forEach(call -> answers.add(pipeline.add(call::run)));
    }
    for (CompletableFuture<Void> answer : answers) {
      try {
        answer.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
  }

  private void startWorker() {
    int seq = (int) manager.counter(seqCounter(id)).incrementAndGet(); // shared with joining workers
    Worker w = new Worker(seq, manager.queue(taskQueue(id, seq)));
    workers.put(seq, w);
    w.process = WorkerProcess.of(PoolWorker.class, id, Integer.toString(seq), Integer.toString(maxTasksPerChild))
        .manager(manager).jvmArgs(jvmArgs.toArray(String[]::new)).start();
    w.pid = w.process.pid();
    w.process.process().onExit().thenAccept(p -> gone(seq, p.exitValue()));
  }

  /**
   * A worker from elsewhere joined, holding its liveness lock: it gets chunks like the pool's own,
   * and a thread that waits for that lock, which the daemon frees when the worker's connection
   * closes, to tell the pool it is gone. It is not replaced when it goes.
   */
  private void joined(PoolMessages.Joined j) {
    if (state != State.RUNNING) {
      SharedQueue<byte[]> tasks = manager.queue(taskQueue(id, j.worker()));
      tasks.add(PoolMessages.encode(new PoolMessages.Stop()));
      return;
    }
    Worker w = new Worker(j.worker(), manager.queue(taskQueue(id, j.worker())));
    w.pid = j.pid();
    w.watcher = new Thread(() -> watch(j.worker()), "jmanager-pool-watch-" + j.worker());
    w.watcher.setDaemon(true);
    w.watcher.start();
    workers.put(j.worker(), w);
    dispatch();
  }

  private void watch(int worker) {
    io.jmanager.client.SharedLock alive = manager.lock(aliveLock(id, worker));
    try {
      alive.lockInterruptibly(); // granted once the worker's session has ended
      alive.unlock();
      manager.delete(aliveLock(id, worker));
      gone(worker, -1);
    } catch (InterruptedException | RuntimeException stopped) {
      // the pool was terminated, or lost its daemon
    }
  }

  /**
   * Worker {@code seq} exited: says so on the results queue, behind everything the worker put
   * there, so that its outcomes are read before its death is handled.
   */
  private void gone(int seq, int exitCode) {
    try {
      results.add(PoolMessages.encode(new PoolMessages.Gone(seq, exitCode)));
    } catch (RuntimeException poolStopped) {
      // terminated, and its daemon gone: nothing waits for this worker
    }
  }

  // ---- the results reader

  private void read() {
    while (true) {
      Object message;
      try {
        message = PoolMessages.decode(results.take());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        synchronized (this) {
          if (state == State.TERMINATED) {
            return; // the daemon is stopping
          }
        }
        fail(new IllegalStateException("the pool lost its daemon: " + e.getMessage(), e));
        return;
      }
      if (message instanceof PoolMessages.Stop) {
        return;
      }
      List<Runnable> completions = new ArrayList<>();
      synchronized (this) {
        if (message instanceof PoolMessages.Started st) {
          Worker w = workers.get(st.worker());
          if (w != null && w.started < w.assigned.size()) {
            w.started++; // a worker runs its chunks in the order it was given them
          }
        } else if (message instanceof PoolMessages.Done d) {
          done(d, completions);
        } else if (message instanceof PoolMessages.Gone g) {
          workerGone(g, completions);
        } else if (message instanceof PoolMessages.Joined j) {
          joined(j);
        } else if (message instanceof PoolMessages.InitFailed f) {
          broken = new IllegalStateException("the pool's initializer failed in worker " + f.worker() + ": "
              + f.failure().type() + ": " + f.failure().message() + "\n" + f.failure().stack());
        }
      }
      completions.forEach(Runnable::run); // outside the lock: the futures' callbacks are the caller's code
      if (message instanceof PoolMessages.InitFailed) {
        fail(broken);
      }
    }
  }

  private void done(PoolMessages.Done d, List<Runnable> completions) {
    Worker w = workers.get(d.worker());
    Pending head = w == null ? null : w.assigned.peek();
    if (head == null || head.job().id != d.job() || head.firstIndex() != d.firstIndex()) {
      return; // the outcomes of a chunk given up with its worker
    }
    Job job = head.job();
    w.assigned.poll();
    w.started = Math.max(0, w.started - 1);
    w.chunks++;
    failedStarts = 0;
    int first = (int) d.firstIndex();
    List<Object> outcomes = d.outcomes();
    for (int i = 0; i < outcomes.size(); i++) {
      Object o = outcomes.get(i);
      settle(job, first + i, o instanceof PoolMessages.Failed failed ? new Failure(failed.toThrowable()) : o, completions);
    }
    completions.add(() -> completeFutures(job, first, outcomes.size()));
    if (state != State.TERMINATED) {
      dispatch();
    }
  }

  private void workerGone(PoolMessages.Gone g, List<Runnable> completions) {
    Worker w = workers.remove(g.worker());
    if (w == null || state == State.TERMINATED) {
      return;
    }
    boolean local = w.process != null;
    boolean hadWork = !w.assigned.isEmpty();
    List<Pending> again = new ArrayList<>();
    int i = 0;
    for (Pending p : w.assigned) {
      boolean started = i++ < w.started;
      if (!started || p.attempts() < retries) { // never started (it says so before its first task), or a retry
        again.add(started ? new Pending(p.job(), p.firstIndex(), p.items(), p.attempts() + 1) : p);
      } else {
        failChunk(p, index -> new WorkerDiedException(index, w.pid, g.exitCode()), completions);
      }
    }
    for (int k = again.size() - 1; k >= 0; k--) {
      backlog.addFirst(again.get(k)); // at the head, in their order
    }
    manager.delete(taskQueue(id, w.seq));
    // a joined worker is not replaced: the pool's own processes are its size
    if (local && w.chunks == 0 && !w.stopping && (g.exitCode() != 0 || hadWork) && ++failedStarts >= MAX_FAILED_STARTS) {
      broken = new IllegalStateException(MAX_FAILED_STARTS + " workers in a row died before finishing a task "
          + "(the last with exit code " + g.exitCode() + "); see their output");
      RuntimeException why = broken;
      backlog.forEach(q -> failChunk(q, k -> why, completions));
      backlog.clear();
    } else if (local && (state == State.RUNNING || !backlog.isEmpty())) {
      startWorker();
    }
    dispatch();
    finishIfDone(completions);
  }

  /**
   * Sets task {@code index}'s outcome (a value, {@link #NULL}-free, or a {@link Failure}), once;
   * with the job's last, its {@code all} completes (through {@code completions}, outside the lock).
   */
  private static void settle(Job job, int index, Object outcome, List<Runnable> completions) {
    if (job.outcomes[index] != null) {
      return; // settled already (a chunk failed with its worker, then its late outcomes came)
    }
    job.outcomes[index] = outcome == null ? NULL : outcome;
    if (--job.left == 0) {
      if (completions == null) {
        job.all.complete(null); // complete() of a future no one chained to runs no caller code
      } else {
        completions.add(() -> job.all.complete(null));
      }
    }
  }

  /** Completes the per-task futures of tasks {@code from..from+n} of {@code job}, if it has them. */
  private static void completeFutures(Job job, int from, int n) {
    if (job.futures == null) {
      return;
    }
    for (int i = from; i < from + n; i++) {
      Object o = job.outcomes[i];
      if (o instanceof Failure f) {
        job.futures[i].completeExceptionally(f.cause());
      } else {
        job.futures[i].complete(o == NULL ? null : o);
      }
    }
  }

  /** Fails every task of {@code p} not yet settled, with the failure {@code why} makes of its index. */
  private static void failChunk(Pending p, java.util.function.LongFunction<Throwable> why, List<Runnable> completions) {
    Job job = p.job();
    int first = (int) p.firstIndex();
    for (int i = 0; i < p.items().size(); i++) {
      settle(job, first + i, new Failure(why.apply(first + i)), completions);
    }
    completions.add(() -> completeFutures(job, first, p.items().size()));
  }

  /** Fails every unfinished task with {@code why}: the pool cannot run them. */
  private void fail(RuntimeException why) {
    List<Runnable> completions = new ArrayList<>();
    synchronized (this) {
      broken = why;
      backlog.forEach(p -> failChunk(p, k -> why, completions));
      backlog.clear();
      workers.values().forEach(w -> w.assigned.forEach(p -> failChunk(p, k -> why, completions)));
    }
    completions.forEach(Runnable::run);
  }

  /**
   * Closing, and every worker gone: stops the reader and the pool's daemon. Tasks still queued
   * then (a pool of joined workers only, none left) fail: nothing would run them.
   */
  private void finishIfDone(List<Runnable> completions) {
    if (state == State.CLOSING && workers.isEmpty()) {
      IllegalStateException none = new IllegalStateException("the pool closed with no worker left to run this task");
      backlog.forEach(p -> failChunk(p, k -> none, completions));
      backlog.clear();
      Thread t = new Thread(this::finish, "jmanager-pool-finish"); // not under this lock, nor on the reader
      t.setDaemon(true);
      t.start();
    }
  }

  private void finish() {
    if (!finishing.compareAndSet(false, true)) {
      finished.join(); // another thread is finishing: wait for it
      return;
    }
    try {
      results.add(PoolMessages.encode(new PoolMessages.Stop())); // the reader's last message
      reader.join(TimeUnit.SECONDS.toMillis(10));
      manager.delete(resultQueue(id));
      manager.delete(configDict(id));
      manager.delete(seqCounter(id));
    } catch (RuntimeException e) {
      // the daemon is gone already: nothing to clean up on it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutDownDaemon();
      finished.complete(null);
    }
  }

  private void shutDownDaemon() {
    if (embedded != null) {
      manager.close();
      embedded.close();
    }
  }

  // ---- waiting for outcomes

  /** Waits for every task of {@code job}; its results in order, or its first failure. */
  @SuppressWarnings("unchecked")
  private static <R> List<R> collect(Job job) {
    job.all.join();
    List<R> out = new ArrayList<>(job.outcomes.length);
    for (Object o : job.outcomes) {
      if (o instanceof Failure f) {
        throw unchecked(f.cause());
      }
      out.add(o == NULL ? null : (R) o);
    }
    return out;
  }

  /** A failure as the caller gets it: unchecked as itself, checked in a CompletionException. */
  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new CompletionException(t);
  }

  /** The future's value, or its failure: unchecked as itself, checked in a CompletionException. */
  private static Object outcome(CompletableFuture<?> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw unchecked(e.getCause());
    }
  }

  @Override
  public synchronized String toString() {
    return "ProcessPool[" + id + ", " + workers.size() + " workers, " + state.name().toLowerCase() + "]";
  }
}
