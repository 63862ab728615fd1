package io.jmanager.server;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.TestStringListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import io.jmanager.client.SharedList;
import com.google.common.collect.testing.testers.CollectionToStringTester;
import com.google.common.collect.testing.testers.ListListIteratorTester;
import com.google.common.collect.testing.testers.ListSubListTester;
import java.util.Arrays;
import java.util.List;
import junit.framework.Test;

/**
 * Guava testlib's List suite against SharedList proxies over a real connection. Iterators and
 * sub-lists are snapshots by design, so their mutation features are not declared (see the README).
 */
public class SharedListListTest {
  public static Test suite() {
    return suite("SharedList", GuavaSuites::manager);
  }

  /** The suite with lists filled through one of {@code manager}'s connections and tested through the next. */
  static Test suite(String name, java.util.function.Supplier<io.jmanager.client.Manager> manager) {
    return ListTestSuiteBuilder.using(
            new TestStringListGenerator() {
              @Override
              protected List<String> create(String[] elements) {
                String list = GuavaSuites.freshName("guava-list");
                manager.get().<String>list(list).addAll(Arrays.asList(elements));
                SharedList<String> l = manager.get().list(list); // the same connection, or (cluster mode) another daemon's
                return l;
              }
            })
        .named(name)
        .withFeatures(
            ListFeature.SUPPORTS_SET,
            ListFeature.SUPPORTS_ADD_WITH_INDEX,
            ListFeature.SUPPORTS_REMOVE_WITH_INDEX,
            CollectionFeature.SUPPORTS_ADD,
            CollectionFeature.SUPPORTS_REMOVE,
            CollectionFeature.ALLOWS_NULL_VALUES,
            CollectionSize.ANY)
        // iterators and sub-lists are immutable snapshots, and toString() makes no remote call
        .suppressing(GuavaSuites.methods(ListListIteratorTester.class, "fullyModifiable"))
        .suppressing(GuavaSuites.methods(ListSubListTester.class, "AffectsOriginal", "AffectsSubList"))
        .suppressing(GuavaSuites.methods(CollectionToStringTester.class))
        .createTestSuite();
  }
}
