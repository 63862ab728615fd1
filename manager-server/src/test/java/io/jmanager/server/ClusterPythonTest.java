package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jmanager.server.python.Pythons;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Python gateway in cluster mode: a CPython client of one daemon and Java clients of the
 * others see the same dict, list, queue, joinable queue and value, and a CPython lock is the
 * cluster's lock.
 */
class ClusterPythonTest {

  @Test
  void aCPythonClientOfOneDaemon_sharesObjectsWithJavaClientsOfTheOthers() throws Exception {
    assumeTrue(Pythons.python3() != null, "python3 is not installed");
    try (TestCluster cluster = new TestCluster("python", b -> b.python("127.0.0.1", 0))) {
      cluster.clients.get(2).<String, Object>dict("py.dict").put("from-java", "hello");
      Pythons.Result r = run(cluster, 0, """
          d = m.get_dict('py.dict')
          d['jobs'] = 3
          print(d['from-java'], len(d))
          l = m.get_list('py.list')
          l.append(5)
          l.append('six')
          m.get_queue('py.queue').put('item')
          jobs = m.get_joinable_queue('py.jobs')
          jobs.put('done here')
          jobs.get()
          jobs.task_done()
          jobs.put('for Java')
          v = m.get_value('py.value', 'first')
          v.set('second')
          lock = m.get_lock('py.lock')
          print(lock.acquire(), lock.acquire(False))
          """);
      assertEquals(List.of("hello 2", "True False"), r.lines(), r.stderr());
      assertEquals(3, cluster.clients.get(1).<String, Object>dict("py.dict").get("jobs"));
      assertEquals(List.of(5, "six"), cluster.clients.get(2).<Object>list("py.list").copy());
      assertEquals("item", cluster.clients.get(1).<String>queue("py.queue").take());
      io.jmanager.client.JoinableQueue<String> jobs = cluster.clients.get(1).joinableQueue("py.jobs");
      assertEquals(false, cluster.clients.get(2).joinableQueue("py.jobs").join(java.time.Duration.ofMillis(100)),
          "the task Python put and nobody finished");
      assertEquals("for Java", jobs.take());
      jobs.taskDone();
      assertEquals(true, cluster.clients.get(2).joinableQueue("py.jobs").join(java.time.Duration.ofSeconds(10)));
      assertEquals("second", cluster.clients.get(2).<String>value("py.value", "ignored").get());
      // that CPython client is gone: its lock was released, and a Java client of another daemon gets it
      io.jmanager.client.SharedLock lock = cluster.clients.get(1).lock("py.lock");
      assertEquals(true, lock.tryLock(20, java.util.concurrent.TimeUnit.SECONDS));
      lock.unlock();
    }
  }

  private static Pythons.Result run(TestCluster cluster, int daemon, String script) throws Exception {
    Pythons.Result r = Pythons.run(Pythons.python3(), Pythons.GATEWAY_PREAMBLE + script,
        Integer.toString(cluster.daemons.get(daemon).pythonAddress().orElseThrow().getPort()),
        HexFormat.of().formatHex(cluster.key));
    assertEquals(0, r.exitCode(), r.stderr() + "\nstdout:\n" + r.stdout());
    return r;
  }
}
