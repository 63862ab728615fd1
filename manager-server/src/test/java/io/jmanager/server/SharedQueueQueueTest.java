package io.jmanager.server;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.testers.CollectionToStringTester;
import io.jmanager.client.SharedQueue;
import java.util.Arrays;
import java.util.Queue;
import junit.framework.Test;

/** Guava testlib's Queue suite against SharedQueue proxies over a real connection. */
public class SharedQueueQueueTest {
  public static Test suite() {
    return QueueTestSuiteBuilder.using(
            new TestStringQueueGenerator() {
              @Override
              protected Queue<String> create(String[] elements) {
                SharedQueue<String> q = GuavaSuites.manager().queue(GuavaSuites.freshName("guava-queue"));
                q.addAll(Arrays.asList(elements));
                return q;
              }
            })
        .named("SharedQueue")
        .withFeatures(
            CollectionFeature.SUPPORTS_ADD,
            CollectionFeature.SUPPORTS_REMOVE,
            CollectionFeature.KNOWN_ORDER,
            CollectionSize.ANY)
        // the iterator is a snapshot, and toString() makes no remote call
        .suppressing(GuavaSuites.methods(CollectionToStringTester.class))
        .createTestSuite();
  }
}
