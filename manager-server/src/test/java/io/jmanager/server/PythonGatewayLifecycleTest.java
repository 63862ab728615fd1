package io.jmanager.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jmanager.server.python.Pythons;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The objects a Python client gets anonymously (iterators) go with CPython's {@code decref}, or,
 * when the client dies without it, after {@code python.idle.timeout}; {@code shutdown} from Python
 * is refused unless allowed.
 */
class PythonGatewayLifecycleTest {
  static final String PREAMBLE = """
      import sys, os, gc
      from multiprocessing.managers import BaseManager, DictProxy, IteratorProxy
      class Gateway(BaseManager): pass
      Gateway.register('get_dict', proxytype=DictProxy)
      Gateway.register('Iterator', proxytype=IteratorProxy, create_method=False)
      m = Gateway(address=('127.0.0.1', int(sys.argv[1])), authkey=bytes.fromhex(sys.argv[2]))
      m.connect()
      d = m.get_dict('iterated')
      d['a'] = 1
      d['b'] = 2
      """;

  static Pythons.Result run(TestDaemon daemon, String script) throws Exception {
    Pythons.Result r = Pythons.run(Pythons.python3(), PREAMBLE + script,
        Integer.toString(daemon.server.pythonAddress().orElseThrow().getPort()), HexFormat.of().formatHex(daemon.authkey));
    assertEquals(0, r.exitCode(), r.stderr());
    return r;
  }

  @Test
  void anIterator_isFreedByItsDecref_orAfterTheIdleTimeout_whenItsClientDies() throws Exception {
    assumeTrue(Pythons.python3() != null, "python3 is not installed: the gateway's tests need a CPython");
    try (TestDaemon daemon = new TestDaemon(b -> b.python("127.0.0.1", 0).pythonIdleTimeout(Duration.ofMillis(500)))) {
      run(daemon, """
          it = iter(d)
          print(next(it) in ('a', 'b'))
          del it  # the proxy's finalizer sends its decref
          gc.collect()
          """);
      assertEquals(0, daemon.server.python().anonymousCount(), "freed by the proxy's decref");

      run(daemon, """
          it = iter(d)
          next(it)
          os._exit(0)  # dies holding the iterator: no decref is ever sent
          """);
      assertEquals(1, daemon.server.python().anonymousCount());
      await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server.python().anonymousCount() == 0);
    }
  }

  @Test
  void shutdownFromPython_isRefused_unlessAllowed() throws Exception {
    assumeTrue(Pythons.python3() != null, "python3 is not installed: the gateway's tests need a CPython");
    try (TestDaemon daemon = new TestDaemon(b -> b.python("127.0.0.1", 0))) {
      Pythons.Result r = run(daemon, """
          from multiprocessing.managers import RemoteError
          from multiprocessing.connection import Client
          from multiprocessing.managers import dispatch
          c = Client(m.address, authkey=m._authkey)
          try:
              dispatch(c, None, 'shutdown')
          except RemoteError as e:
              print('refused', 'python.shutdown=false' in str(e))
          """);
      assertEquals(List.of("refused True"), r.lines());
      assertEquals(false, daemon.server.isClosed());
    }
    try (TestDaemon daemon = new TestDaemon(b -> b.python("127.0.0.1", 0).pythonShutdown(true))) {
      run(daemon, """
          from multiprocessing.connection import Client
          from multiprocessing.managers import dispatch
          dispatch(Client(m.address, authkey=m._authkey), None, 'shutdown')
          """);
      await().atMost(Duration.ofSeconds(10)).until(daemon.server::isClosed);
    }
  }
}
