package io.jmanager.pool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.RemoteException;
import io.jmanager.client.WorkerProcess;
import io.jmanager.server.TestDaemon;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcessPool over real worker JVMs: every form, failures of tasks and of workers, and cleanup. */
class ProcessPoolTest {
  private static final Duration SOON = Duration.ofSeconds(30);
  /** One pool of two workers for the tests that leave it healthy. */
  private static ProcessPool shared;

  @TempDir Path dir;

  @BeforeAll
  static void startPool() {
    shared = ProcessPool.create(2);
  }

  @AfterAll
  static void stopPool() {
    shared.close();
  }

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  private static List<Integer> squares(int n) {
    return IntStream.range(0, n).map(i -> i * i).boxed().toList();
  }

  @Test
  void map_inOrder_withAnyChunkSize() {
    assertEquals(squares(100), shared.map(PoolTasks::square, upTo(100)));
    assertEquals(squares(100), shared.map(PoolTasks::square, upTo(100), 7));
    assertEquals(List.of(), shared.map(PoolTasks::square, List.<Integer>of()));
    int offset = 1000; // a capturing lambda: what it captures travels with it
    assertEquals(List.of(1000, 1001, 1002), shared.map((Integer x) -> x + offset, upTo(3)));
  }

  @Test
  void itemsAndResultsOfMixedTypes_travelEachWithItsClass() {
    // ints first, then other types: the compact form of one type is given up for each with its class
    List<Object> mixed = java.util.Arrays.asList(1, 2, "three", null, 4L, 5.5, List.of(6));
    assertEquals(mixed, shared.map((Object x) -> x, mixed, 7));
    List<Object> strings = java.util.Arrays.asList("a", "b", null);
    assertEquals(strings, shared.map((Object x) -> x, strings, 3));
  }

  @Test
  void starmap_givesEachListOfArgumentsToTheFunction() {
    assertEquals(List.of(3, 7), shared.starmap((Integer a, Integer b) -> a + b, List.of(List.of(1, 2), List.of(3, 4))));
    assertEquals(List.of("abc"),
        shared.starmap((String a, String b, String c) -> a + b + c, List.of(List.of("a", "b", "c"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> shared.starmap((Integer a, Integer b) -> a + b, List.of(List.of(1))));
    assertTrue(e.getMessage().contains("lists of 2 arguments"), e.getMessage());
  }

  @Test
  void imap_isOrdered_imapUnordered_hasEveryResult() {
    List<Integer> ordered = new ArrayList<>();
    shared.<Integer, Integer>imap(PoolTasks::square, upTo(50)).forEachRemaining(ordered::add);
    assertEquals(squares(50), ordered);
    List<Integer> unordered = new ArrayList<>();
    shared.<Integer, Integer>imapUnordered(PoolTasks::square, upTo(50), 3).forEachRemaining(unordered::add);
    assertEquals(new HashSet<>(squares(50)), new HashSet<>(unordered));
    assertEquals(50, unordered.size());
  }

  @Test
  void submit_andAsCompleted() throws Exception {
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(shared.submit(PoolTasks::square, i));
    }
    Set<Integer> seen = new HashSet<>();
    for (CompletableFuture<Integer> f : ProcessPool.asCompleted(futures)) {
      assertTrue(f.isDone());
      seen.add(f.get());
    }
    assertEquals(new HashSet<>(squares(10)), seen);
  }

  @Test
  void aTaskThatThrows_failsAlone_asItselfOrAsRemoteException() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> shared.map(PoolTasks::failOnSeven, upTo(10), 2));
    assertEquals("seven is not allowed", e.getMessage());
    assertTrue(e.getStackTrace()[0].getMethodName().equals("failOnSeven"), "the worker's stack");
    ExecutionException remote = assertThrows(ExecutionException.class, () -> shared.submit(PoolTasks::oddFails, 3).get());
    RemoteException r = assertInstanceOf(RemoteException.class, remote.getCause());
    assertEquals(PoolTasks.Odd.class.getName(), r.remoteType());
    assertTrue(r.remoteStack().contains("oddFails"), r.remoteStack());
    assertEquals(4, shared.submit(PoolTasks::oddFails, 4).get());
  }

  @Test
  void aWorkerThatExitsMidTask_failsThatTask_isReplaced_andTheOthersFinish() throws Exception {
    try (ProcessPool pool = ProcessPool.create(2)) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        futures.add(pool.submit(PoolTasks::exitOnFive, i));
      }
      for (int i = 0; i < 10; i++) {
        if (i == 5) {
          ExecutionException e = assertThrows(ExecutionException.class, futures.get(i)::get);
          WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
          assertEquals(5, died.taskIndex() + 5, "a submit is its own job: task 0 of it");
          assertEquals(3, died.exitCode());
        } else {
          assertEquals(i, futures.get(i).get());
        }
      }
      WorkerDiedException inMap = assertThrows(WorkerDiedException.class, () -> pool.map(PoolTasks::exitOnFive, upTo(8), 1));
      assertEquals(5, inMap.taskIndex());
      assertEquals(squares(20), pool.map(PoolTasks::square, upTo(20)));
      assertEquals(2, pool.workerPids().size(), "replaced");
    }
  }

  /**
   * Submits a task that hangs, SIGKILLs the worker running it once it has started (its pid goes
   * to {@code pid[0]}), and returns how the task failed.
   */
  private WorkerDiedException killedMidTask(ProcessPool pool, String name, long[] pid) throws Exception {
    Path marker = dir.resolve(name);
    CompletableFuture<Integer> f = pool.submit(PoolTasks::hang, marker.toString());
    await().atMost(SOON).until(() -> Files.exists(marker));
    pid[0] = Long.parseLong(Files.readString(marker));
    ProcessHandle.of(pid[0]).ifPresent(ProcessHandle::destroyForcibly);
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(SOON.toSeconds(), TimeUnit.SECONDS));
    return assertInstanceOf(WorkerDiedException.class, e.getCause());
  }

  @Test
  void aWorkerKilledMidTask_failsItWithExitCode137() throws Exception {
    try (ProcessPool pool = ProcessPool.create(1)) {
      long[] pid = new long[1];
      WorkerDiedException died = killedMidTask(pool, "hanging", pid);
      assertEquals(137, died.exitCode());
      assertTrue(died.getMessage().contains("pid " + pid[0]), died.getMessage());
      assertEquals(9, pool.submit(PoolTasks::square, 3).get(SOON.toSeconds(), TimeUnit.SECONDS));
    }
  }

  @Test
  void retries_runTheChunkOfADeadWorkerAgain() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().processes(1).retries(1).start()) {
      assertEquals(42, pool.submit(PoolTasks::dieOnce, dir.resolve("once").toString()).get(SOON.toSeconds(), TimeUnit.SECONDS));
    }
  }

  @Test
  void maxTasksPerChild_replacesWorkers_andTheInitializerRunsOncePerWorker() {
    List<String> who;
    try (ProcessPool pool = ProcessPool.builder().processes(2).maxTasksPerChild(2).initializer(PoolTasks::init).start()) {
      who = pool.map(PoolTasks::whoAmI, upTo(20), 1);
    }
    Set<String> pids = new HashSet<>();
    for (String w : who) {
      String[] pidAndRuns = w.split(":");
      pids.add(pidAndRuns[0]);
      assertEquals("1", pidAndRuns[1], "the initializer ran once in worker " + pidAndRuns[0]);
    }
    assertTrue(pids.size() >= 10, "at most 2 tasks per worker: " + pids.size() + " workers for 20 tasks");
  }

  @Test
  void terminate_stopsNow_andFailsUnfinishedTasks() throws Exception {
    ProcessPool pool = ProcessPool.create(1);
    List<Long> pids = pool.workerPids();
    CompletableFuture<Integer> hanging = pool.submit(PoolTasks::hang, dir.resolve("t").toString());
    CompletableFuture<Integer> queued = pool.submit(PoolTasks::square, 2);
    await().atMost(SOON).until(() -> Files.exists(dir.resolve("t")));
    pool.terminate();
    assertThrows(CancellationException.class, hanging::get);
    assertThrows(CancellationException.class, queued::get);
    pool.join();
    assertTrue(pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    assertThrows(IllegalStateException.class, () -> pool.submit(PoolTasks::square, 1));
  }

  @Test
  void onAGivenManager_thePoolUsesItsDaemon_andCleansUp() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      try (ProcessPool pool = ProcessPool.builder().processes(2).manager(m).start()) {
        assertEquals(squares(30), pool.map(PoolTasks::square, upTo(30)));
        assertTrue(m.names().stream().anyMatch(n -> n.startsWith("pool.")));
      }
      assertTrue(m.names().stream().noneMatch(n -> n.startsWith("pool.")), "queues deleted: " + m.names());
      assertTrue(m.isConnected(), "the caller's manager stays open");
    }
  }

  @Test
  void onACluster_workersJoinedThroughAnotherDaemon_runTheTasks_andTheirDeathIsSeen() throws Exception {
    try (io.jmanager.server.TestCluster cluster = new io.jmanager.server.TestCluster("pool", b -> b)) {
      Manager m = cluster.clients.get(0);
      java.net.InetSocketAddress a = cluster.daemons.get(1).address();
      String other = a.getHostString() + ":" + a.getPort();
      WorkerProcess joiner;
      try (ProcessPool pool = ProcessPool.builder().manager(m).name("spread").processes(0).start()) {
        joiner = WorkerProcess.of(PoolWorker.class, "--address", other, "--pool", "spread", "--processes", "2")
            .manager(other, cluster.key).start();
        assertEquals(squares(20), pool.map(PoolTasks::square, upTo(20), 1), "run by workers of another daemon");
        await().atMost(SOON).until(() -> pool.workerPids().size() == 2);
        WorkerDiedException died = killedMidTask(pool, "spread", new long[1]);
        assertEquals(-1, died.exitCode(), "a joined worker's exit code is not the pool's to see: " + died.getMessage());
        assertEquals(List.of(1, 4), pool.map(PoolTasks::square, List.of(1, 2)), "the other worker goes on");
      }
      assertTrue(joiner.join(SOON), "the joined workers stop when the pool closes");
    }
  }

  @Test
  void workersOfAnotherHost_joinANamedPool_andTheirDeathIsSeen() throws Exception {
    try (TestDaemon daemon = new TestDaemon()) {
      Manager m = daemon.connect();
      WorkerProcess joiner;
      try (ProcessPool pool = ProcessPool.builder().manager(m).name("crunch").processes(0).start()) {
        assertEquals("pool.crunch", pool.id());
        joiner = WorkerProcess.of(PoolWorker.class, "--address", daemon.address(), "--pool", "crunch", "--processes", "2")
            .manager(daemon.address(), daemon.authkey).start();
        assertEquals(squares(20), pool.map(PoolTasks::square, upTo(20), 1), "run by the joined workers");
        await().atMost(SOON).until(() -> pool.workerPids().size() == 2);
        WorkerDiedException died = killedMidTask(pool, "joined", new long[1]);
        assertEquals(-1, died.exitCode(), died.getMessage());
        assertEquals(List.of(1, 4), pool.map(PoolTasks::square, List.of(1, 2)), "the other joined worker goes on");
      }
      assertTrue(joiner.join(SOON), "the joined workers stop when the pool closes");
      IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
          () -> ProcessPool.builder().processes(0).start());
      assertTrue(none.getMessage().contains("name"), none.getMessage());
    }
  }

  @Test
  void aParentKilledWithARunningPool_leavesNoWorkerBehind() throws Exception {
    WorkerProcess parent = WorkerProcess.of(PoolParent.class, dir.resolve("p").toString()).redirectOutput(Redirect.PIPE).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(parent.process().getInputStream(), StandardCharsets.UTF_8));
      List<Long> workers = new ArrayList<>();
      for (String line; !(line = out.readLine()).equals("ready"); ) {
        workers.add(Long.parseLong(line.substring("worker ".length())));
      }
      assertEquals(2, workers.size());
      await().atMost(SOON).until(() -> Files.exists(dir.resolve("p")));
      parent.kill();
      await().atMost(SOON).until(() -> workers.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    } finally {
      parent.kill();
    }
  }
}
