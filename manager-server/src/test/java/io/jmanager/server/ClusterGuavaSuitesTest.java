package io.jmanager.server;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.testers.CollectionToStringTester;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedQueue;
import java.util.Arrays;
import java.util.Queue;
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
  private static TestCluster cluster;
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
    if (cluster == null) {
      try {
        // Guava's WrongType probes must reach the daemons, as a user's own classes would
        cluster = new TestCluster("guava", b -> b.allow("com.google.common.collect.testing.*"));
      } catch (Exception e) {
        throw new IllegalStateException("the cluster did not start", e);
      }
    }
    return cluster.clients.get(turn.getAndIncrement() % cluster.clients.size());
  }

  private static synchronized void stop() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
