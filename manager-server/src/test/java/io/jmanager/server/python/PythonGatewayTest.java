package io.jmanager.server.python;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.PythonFrozenSet;
import io.jmanager.client.PythonTuple;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.client.WorkerProcess;
import io.jmanager.server.Workers;
import io.jmanager.server.TestDaemon;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.math.BigInteger;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Unmodified CPython manager clients (every CPython found) on the daemon's Python gateway, next to Java clients. */
class PythonGatewayTest {
  static TestDaemon daemon;
  static Manager jm;

  /** What every script starts with: the contract of the README's Python section. */
  static final String PREAMBLE = Pythons.GATEWAY_PREAMBLE;

  @BeforeAll
  static void start() {
    assumeTrue(Pythons.python3() != null, "python3 is not installed: the gateway's tests need a CPython");
    daemon = new TestDaemon(b -> b.python("127.0.0.1", 0));
    jm = daemon.connect();
  }

  @AfterAll
  static void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  static Pythons.Result run(Pythons.Interpreter python, String script) throws Exception {
    Pythons.Result r = Pythons.run(python, PREAMBLE + script,
        Integer.toString(daemon.server.pythonAddress().orElseThrow().getPort()), HexFormat.of().formatHex(daemon.authkey));
    assertEquals(0, r.exitCode(), python + " failed:\n" + r.stderr() + "\nstdout:\n" + r.stdout());
    return r;
  }

  @Test
  void theReadmeContract_onEveryCPython_seesWhatJavaSees() throws Exception {
    for (Pythons.Interpreter python : Pythons.all()) {
      String name = "registry-" + python.minor();
      SharedDict<String, Object> d = jm.dict(name);
      d.put("from-java", "hello");
      Pythons.Result r = run(python, """
          d = m.get_dict('%s')
          d['jobs'] = 3
          print(d.get('jobs'), len(d), 'jobs' in d, 'nope' in d, d['from-java'])
          print(sorted(d.items()))
          print(sorted(k for k in d))
          """.formatted(name));
      assertEquals(List.of("3 2 True False hello", "[('from-java', 'hello'), ('jobs', 3)]", "['from-java', 'jobs']"),
          r.lines(), python.toString());
      assertEquals(3, d.get("jobs"), python.toString());
    }
  }

  @Test
  void pythonErrors_arriveAsPythonsOwn() throws Exception {
    Pythons.Result r = run(Pythons.python3(), """
        d = m.get_dict('errors')
        try:
            d['missing']
        except KeyError as e:
            print('KeyError', e.args)
        q = m.get_queue('errors-q')
        try:
            q.get(timeout=0.05)
        except queue.Empty:
            print('Empty')
        try:
            q.get_nowait()
        except queue.Empty:
            print('Empty')
        l = m.get_list('errors-l')
        try:
            l[5]
        except IndexError as e:
            print('IndexError')
        bq = m.get_queue('errors-bounded', 1)
        bq.put('only')
        try:
            bq.put('more', timeout=0.05)
        except queue.Full:
            print('Full')
        jq = m.get_joinable_queue('errors-jq')
        jq.put('job')
        print(jq.get(timeout=5))
        jq.task_done()
        jq.join()
        print('joined')
        v = m.get_value('errors-v')
        print(v.get())
        v.set(5)
        """);
    assertEquals(List.of("KeyError ('missing',)", "Empty", "Empty", "IndexError", "Full", "job", "joined", "None"), r.lines());
    assertEquals(List.of("only"), jm.queue("errors-bounded").copy()); // get_queue(name, 1) is a queue of capacity 1
    assertEquals(0, jm.queue("errors-bounded").remainingCapacity());
    assertEquals(5, jm.value("errors-v", null).get());
  }

  @Test
  void aJavaProducer_andAPythonConsumer_shareOneQueue_noLossNoDuplicate() throws Exception {
    SharedQueue<Integer> q = jm.queue("handoff");
    for (int i = 0; i < 500; i++) {
      q.put(i);
    }
    Pythons.Result r = run(Pythons.python3(), """
        q = m.get_queue('handoff')
        got = [q.get(timeout=5) for _ in range(500)]
        print(len(got), len(set(got)), sum(got))
        back = m.get_queue('handback')
        for x in got:
            back.put(x * 2)
        """);
    assertEquals(List.of("500 500 124750"), r.lines());
    SharedQueue<Integer> back = jm.queue("handback");
    List<Integer> doubled = new ArrayList<>();
    back.drainTo(doubled);
    assertEquals(500, doubled.size());
    assertEquals(124750L * 2, doubled.stream().mapToLong(Integer::longValue).sum());
  }

  @Test
  void values_crossBothWays_asTheirCounterparts() throws Exception {
    SharedDict<String, Object> d = jm.dict("table");
    d.put("str", "héllo");
    d.put("int", 42);
    d.put("long", 1L << 40);
    d.put("big", new BigInteger("123456789012345678901234567890"));
    d.put("float", 2.5);
    d.put("bool", true);
    d.put("bytes", new byte[] {1, 2, 3});
    d.put("list", List.of(1, "two", 3.0));
    d.put("tuple", PythonTuple.of(1, "a"));
    d.put("frozenset", PythonFrozenSet.of("x"));
    d.put("dict", Map.of("k", 1));
    d.put("set", Set.of(7));
    Pythons.Result r = run(Pythons.python3(), """
        d = m.get_dict('table')
        for k in ["str", "int", "long", "big", "float", "bool", "bytes", "list", "tuple", "dict", "set", "frozenset"]:
            v = d[k]
            print(k, type(v).__name__, repr(v))
        d['p-none-in-list'] = [None]
        d['p-tuple'] = (1, 'a')
        d['p-set'] = {1, 2}
        d['p-big'] = 2 ** 100
        d['p-bytes'] = b'xyz'
        d['p-dict'] = {'a': [1, 2.0]}
        d['p-frozenset'] = frozenset({'y'})
        keys = m.get_dict('tuple-keys')
        keys[(1, 'a')] = 'by tuple'
        keys[2] = 'by int'
        print(keys[(1, 'a')], keys[2])
        """);
    assertEquals(List.of(
        "str str 'héllo'", "int int 42", "long int 1099511627776", "big int 123456789012345678901234567890",
        "float float 2.5", "bool bool True", "bytes bytes b'\\x01\\x02\\x03'", "list list [1, 'two', 3.0]",
        "tuple tuple (1, 'a')", "dict dict {'k': 1}", "set set {7}", "frozenset frozenset frozenset({'x'})", "by tuple by int"), r.lines());
    assertEquals(Arrays.asList((Object) null), d.get("p-none-in-list"));
    assertEquals(PythonTuple.of(1, "a"), d.get("p-tuple"));
    assertEquals(Set.of(1, 2), d.get("p-set"));
    assertEquals(BigInteger.TWO.pow(100), d.get("p-big"));
    assertEquals("xyz", new String((byte[]) d.get("p-bytes"), StandardCharsets.US_ASCII));
    assertEquals(Map.of("a", List.of(1, 2.0)), d.get("p-dict"));
    assertEquals(PythonFrozenSet.of("y"), d.get("p-frozenset"));
    assertEquals("by tuple", jm.dict("tuple-keys").get(PythonTuple.of(1, "a")));
    assertEquals("by int", jm.dict("tuple-keys").get(2));
  }

  @Test
  void aWrongAuthkey_isAuthenticationError() throws Exception {
    Pythons.Result r = Pythons.run(Pythons.python3(), """
        import sys
        from multiprocessing.managers import BaseManager
        from multiprocessing import AuthenticationError
        class Gateway(BaseManager): pass
        m = Gateway(address=('127.0.0.1', int(sys.argv[1])), authkey=b'not the key')
        try:
            m.connect()
        except AuthenticationError as e:
            print('AuthenticationError')
        """, Integer.toString(daemon.server.pythonAddress().orElseThrow().getPort()));
    assertEquals(List.of("AuthenticationError"), r.lines(), r.stderr());
    jm.dict("after-a-wrong-key").put("k", "v"); // the daemon serves on
    assertEquals("v", jm.dict("after-a-wrong-key").get("k"));
  }

  @Test
  void aPythonClient_andTwoJavaWorkerJvms_incrementOneCounter_underTheGatewaysLock_exactly() throws Exception {
    int each = 300;
    List<WorkerProcess> workers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        workers.add(WorkerProcess.of(Workers.LockedIncrementer.class, "rmw-lock", "rmw", Integer.toString(each))
            .manager(jm).jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start());
      }
      run(Pythons.python3(), """
          l = m.get_lock('rmw-lock')
          d = m.get_dict('rmw')
          for _ in range(%d):
              with l:
                  d['n'] = d.get('n', 0) + 1
          """.formatted(each));
      for (WorkerProcess w : workers) {
        assertTrue(w.join(Duration.ofSeconds(120)), w + " did not finish");
        assertEquals(0, w.exitCode().getAsInt(), w + " exit code");
      }
      assertEquals(3 * each, jm.dict("rmw").get("n"));
    } finally {
      workers.forEach(WorkerProcess::kill);
    }
  }

  @Test
  void aPythonLock_isOwnedByItsConnection_andAParkedAcquireWaitsForTheJavaHolder() throws Exception {
    SharedLock lock = jm.lock("py-owned");
    lock.lock();
    try (Pythons.Running p = Pythons.start(Pythons.python3(), PREAMBLE + """
        l = m.get_lock('py-owned')
        print('acquired', l.acquire(timeout=0.05), flush=True)
        m.get_dict('py-owned-phase')['timed out'] = True
        print('acquired', l.acquire(), flush=True)
        l.release()
        try:
            l.release()
        except RuntimeError as e:
            print('RuntimeError', flush=True)
        """, Integer.toString(daemon.server.pythonAddress().orElseThrow().getPort()), HexFormat.of().formatHex(daemon.authkey))) {
      // the timed acquire has given up (else the unlock below could go to it): then the untimed one parks
      await().atMost(Duration.ofSeconds(30)).until(() -> jm.dict("py-owned-phase").containsKey("timed out"));
      await().atMost(Duration.ofSeconds(30)).until(() -> jm.info().objects().stream()
          .anyMatch(o -> o.name().equals("py-owned") && o.details().endsWith(", 1 waiting")));
      lock.unlock(); // the parked acquire gets it
      Pythons.Result r = p.finish(Duration.ofSeconds(30));
      assertEquals(List.of("acquired False", "acquired True", "RuntimeError"), r.lines(), r.stderr());
    }
    assertTrue(lock.tryLock(), "released by the Python client");
    lock.unlock();
  }

  @Test
  void aPythonClientThatDies_holdingALock_releasesIt() throws Exception {
    run(Pythons.python3(), """
        import os
        l = m.get_lock('py-dies')
        l.acquire()
        os._exit(0)  # no release: the daemon releases it when the connection closes
        """);
    SharedLock lock = jm.lock("py-dies");
    assertTrue(lock.tryLock(10, java.util.concurrent.TimeUnit.SECONDS), "released with the dead client's connection");
    lock.unlock();
  }

  @Test
  void badInput_onTheGatewayPort_isRefusedAndLogged_andEveryoneElseIsServed() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger("io.jmanager.server");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      Pythons.Result r = run(Pythons.python3(), """
          import socket, struct
          from multiprocessing.connection import Client
          address = ('127.0.0.1', int(sys.argv[1]))
          key = bytes.fromhex(sys.argv[2])
          # garbage instead of a handshake answer: the daemon closes the connection
          s = socket.create_connection(address)
          s.recv(1024)
          s.sendall(b'\\x00\\x00\\x00\\x10' + b'\\xff' * 16)
          s.settimeout(5)
          print('garbage', s.recv(1024) in (b'', b'\\x00\\x00\\x00\\x09#FAILURE#'))
          s.close()
          # a pickle naming os.system: that request fails as a TypeError naming it, the connection stays
          c = Client(address, authkey=key)
          c.send_bytes(b"cos\\nsystem\\n(S'echo pwned'\\ntR.")
          kind, err = c.recv()
          print(kind, type(err).__name__, 'os.system' in str(err))
          c.send_bytes(b"cbuiltins\\neval\\n(S'1+1'\\ntR.")
          kind, err = c.recv()
          print(kind, type(err).__name__, 'builtins.eval' in str(err))
          c.send((None, 'dummy', (), {}))
          print(c.recv())
          # a length of 2 GiB: the daemon closes the connection at once
          c._send(struct.pack('!i', 0x7fffffff))
          try:
              c.recv()
              print('huge answered')
          except (EOFError, ConnectionError):
              print('huge closed')
          # and everyone else is served
          d = m.get_dict('bystander')
          d['k'] = 'v'
          print(d['k'])
          """);
      assertEquals(List.of("garbage True", "#ERROR TypeError True", "#ERROR TypeError True", "('#RETURN', None)",
          "huge closed", "v"), r.lines(), r.stderr());
      assertEquals("v", jm.dict("bystander").get("k"));
      List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertTrue(logged.stream().anyMatch(l -> l.contains("os.system")), String.valueOf(logged));
      assertTrue(logged.stream().anyMatch(l -> l.contains("exceeds the limit")), String.valueOf(logged));
    } finally {
      log.detachAppender(lines);
    }
  }
}
