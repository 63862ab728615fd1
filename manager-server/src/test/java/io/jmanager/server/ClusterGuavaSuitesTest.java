package io.jmanager.server;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.testers.CollectionToStringTester;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedQueue;
import io.jmanager.common.Authkeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import junit.extensions.TestSetup;
import junit.framework.Test;
import junit.framework.TestSuite;

/**
 * Guava testlib's ConcurrentMap, List and Queue suites against proxies in cluster mode: three daemons
 * in this JVM; each object is filled through one daemon and tested through the next, so every
 * assertion reads what another daemon wrote. The cluster stops when the suites end.
 */
public class ClusterGuavaSuitesTest {
  private static final List<ManagerServer> DAEMONS = new ArrayList<>();
  private static final List<Manager> CLIENTS = new ArrayList<>();
  private static final AtomicInteger turn = new AtomicInteger();

  public static Test suite() {
    TestSuite all = new TestSuite("cluster mode");
    all.addTest(SharedDictConcurrentMapTest.suite("SharedDict in cluster mode", ClusterGuavaSuitesTest::next));
    all.addTest(SharedListListTest.suite("SharedList in cluster mode", ClusterGuavaSuitesTest::next));
    all.addTest(QueueTestSuiteBuilder.using(
            new TestStringQueueGenerator() {
              @Override
              protected Queue<String> create(String[] elements) {
                String name = GuavaSuites.freshName("cluster-guava-queue");
                next().<String>queue(name).addAll(Arrays.asList(elements));
                SharedQueue<String> q = next().queue(name);
                return q;
              }
            })
        .named("SharedQueue in cluster mode")
        .withFeatures(CollectionFeature.SUPPORTS_ADD, CollectionFeature.SUPPORTS_REMOVE, CollectionFeature.KNOWN_ORDER,
            CollectionSize.ANY)
        .suppressing(GuavaSuites.methods(CollectionToStringTester.class))
        .createTestSuite());
    return new TestSetup(all) {
      @Override
      protected void tearDown() {
        stop();
      }
    };
  }

  /** A client of the next daemon in turn (the cluster starts on first use). */
  static synchronized Manager next() {
    if (DAEMONS.isEmpty()) {
      start();
    }
    return CLIENTS.get(turn.getAndIncrement() % CLIENTS.size());
  }

  private static void start() {
    try {
      byte[] key = Authkeys.random();
      int[] ports = ClusterModeTest.freePorts(3);
      List<String> members = new ArrayList<>();
      for (int p : ports) {
        members.add("127.0.0.1:" + p);
      }
      List<CompletableFuture<ManagerServer>> starting = new ArrayList<>();
      for (int p : ports) {
        starting.add(CompletableFuture.supplyAsync(() -> ManagerServer.builder().bind("127.0.0.1").port(0).authkey(key)
            .unixPath("off").allow("com.google.common.collect.testing.*").clusterName("guava-" + ports[0])
            .cluster("127.0.0.1", p, members).start()));
      }
      for (CompletableFuture<ManagerServer> s : starting) {
        DAEMONS.add(s.get(120, TimeUnit.SECONDS));
      }
      for (ManagerServer d : DAEMONS) {
        CLIENTS.add(Manager.builder().address(d.address()).authkey(key).connect());
      }
    } catch (Exception e) {
      throw new IllegalStateException("the cluster did not start", e);
    }
  }

  private static synchronized void stop() {
    CLIENTS.forEach(Manager::close);
    DAEMONS.forEach(d -> d.clusterNode().terminate()); // the whole test cluster: nothing to hand over
    DAEMONS.forEach(ManagerServer::close);
    CLIENTS.clear();
    DAEMONS.clear();
  }
}
