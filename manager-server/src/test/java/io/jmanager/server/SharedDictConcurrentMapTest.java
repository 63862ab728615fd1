package io.jmanager.server;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.testers.CollectionClearTester;
import com.google.common.collect.testing.testers.CollectionRemoveAllTester;
import com.google.common.collect.testing.testers.CollectionRemoveTester;
import com.google.common.collect.testing.testers.CollectionRetainAllTester;
import com.google.common.collect.testing.testers.CollectionToStringTester;
import com.google.common.collect.testing.testers.MapEntrySetTester;
import com.google.common.collect.testing.testers.MapToStringTester;
import com.google.common.collect.testing.testers.SetRemoveTester;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.jmanager.client.SharedDict;
import java.util.Map;
import junit.framework.Test;

/**
 * Guava testlib's ConcurrentMap suite against SharedDict proxies over a real connection. Views
 * are snapshots by design, so view-removal features are not declared (see the README).
 */
public class SharedDictConcurrentMapTest {
  public static Test suite() {
    return suite("SharedDict", GuavaSuites::manager);
  }

  /** The suite with dicts from {@code manager}'s connection. */
  static Test suite(String name, java.util.function.Supplier<io.jmanager.client.Manager> manager) {
    return ConcurrentMapTestSuiteBuilder.using(
            new TestStringMapGenerator() {
              @Override
              protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                String name = GuavaSuites.freshName("guava-dict");
                SharedDict<String, String> filled = manager.get().dict(name);
                for (Map.Entry<String, String> e : entries) {
                  filled.put(e.getKey(), e.getValue());
                }
                return manager.get().dict(name); // the same connection, or (cluster mode) another daemon's
              }
            })
        .named(name)
        .withFeatures(
            MapFeature.SUPPORTS_PUT,
            MapFeature.SUPPORTS_REMOVE,
            CollectionSize.ANY)
        // views are immutable snapshots, and toString() makes no remote call
        .suppressing(GuavaSuites.methods(CollectionClearTester.class))
        .suppressing(GuavaSuites.methods(CollectionRemoveTester.class))
        .suppressing(GuavaSuites.methods(SetRemoveTester.class))
        .suppressing(GuavaSuites.methods(CollectionRemoveAllTester.class))
        .suppressing(GuavaSuites.methods(CollectionRetainAllTester.class))
        .suppressing(GuavaSuites.methods(MapEntrySetTester.class, "SetValue"))
        .suppressing(GuavaSuites.methods(MapToStringTester.class))
        .suppressing(GuavaSuites.methods(CollectionToStringTester.class))
        .createTestSuite();
  }
}
