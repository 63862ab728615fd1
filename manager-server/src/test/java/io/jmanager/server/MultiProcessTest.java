package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jmanager.client.WorkerProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real worker JVMs against a real daemon. */
class MultiProcessTest extends WorkerTestBase {
  @Test
  void oneWorkerWrites_anotherReads() throws InterruptedException {
    worker(Workers.Writer.class, "handoff", "greeting", "hello from a worker");
    joinAll(0);
    started.clear();
    worker(Workers.Reader.class, "handoff", "greeting", "hello from a worker");
    joinAll(0);
  }

  @Test
  void fourWorkersMerge2000Each_loseNothing() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      worker(Workers.Adder.class, "merge", "merged", "n", "2000");
    }
    joinAll(0);
    assertEquals(8000, m.dict("merged").get("n"));
  }

  @Test
  void fourWorkersIncrement2000Each_loseNothing() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      worker(Workers.Adder.class, "increment", "incremented", "n", "2000");
    }
    joinAll(0);
    assertEquals(8000L, m.dict("incremented").get("n"));
  }

  @Test
  void workerProcess_reportsItsExitCode() throws InterruptedException {
    WorkerProcess w = worker(Workers.Reader.class, "handoff-missing", "k", "never");
    assertEquals(3, exitOf(w));
    assertEquals(3, w.exitCode().getAsInt());
  }

  @Test
  void fourProducersFourConsumers_everyItemConsumedExactlyOnce() throws InterruptedException {
    int perProducer = 500;
    List<WorkerProcess> consumers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      consumers.add(worker(Workers.Consumer.class, "work", "consumed"));
    }
    List<WorkerProcess> producers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      producers.add(worker(Workers.Producer.class, "work", "p" + i, Integer.toString(perProducer)));
    }
    for (WorkerProcess p : producers) {
      assertEquals(0, exitOf(p));
    }
    io.jmanager.client.SharedQueue<String> q = m.queue("work");
    for (int i = 0; i < 4; i++) {
      q.put("STOP");
    }
    joinAll(0);
    List<String> consumed = m.<String>list("consumed").copy();
    assertEquals(4 * perProducer, consumed.size(), "no item lost");
    assertEquals(4 * perProducer, new java.util.HashSet<>(consumed).size(), "no item duplicated");
    assertEquals(0, q.size());
  }

  @Test
  void proxyStoredInADictByOneProcess_isLiveInAnother() throws InterruptedException {
    worker(Workers.ProxyStorer.class, "refs");
    joinAll(0);
    started.clear();
    worker(Workers.ProxyUser.class, "refs");
    joinAll(0);
    assertEquals(42, m.counter("by-reference").get());
    assertEquals(List.of("from the user"), m.list("inner"));
    Object local = m.dict("refs").get("counter");
    assertEquals(m.counter("by-reference"), local); // same daemon, same name: equal proxies
  }
}
