package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A value nested deeper than a thread's stack can walk fails that one call with {@link
 * IllegalArgumentException}, wherever it overflows (the caller encoding it, the daemon decoding
 * it); the connection and every other client go on.
 */
class DeepValueTest extends DaemonTestBase {
  static List<Object> nested(int depth) {
    List<Object> l = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(l);
      l = outer;
    }
    return l;
  }

  /** Runs {@code call} on a thread with a big stack (so the caller can encode what the daemon cannot read). */
  static Throwable onBigStack(Runnable call) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        call.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "big-stack", 1L << 28);
    t.start();
    t.join(60_000);
    if (t.isAlive()) {
      throw new AssertionError("the call did not end within 60 s");
    }
    return failure.get();
  }

  @Test
  void valueTooDeepForTheDaemonToRead_failsThatCall_connectionAndOthersGoOn() throws Exception {
    SharedDict<String, Object> d = m.dict("deep");
    d.put("before", 1);
    Throwable e = onBigStack(() -> d.put("x", nested(50_000)));
    assertInstanceOf(IllegalArgumentException.class, e, String.valueOf(e));
    assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    assertTrue(m.isConnected(), "the connection survived");
    assertEquals(1, d.get("before"));
    assertEquals(1, d.size(), "nothing was stored");
    assertEquals(1, other.dict("deep").get("before"), "a bystander is served");
  }

  @Test
  void valueDeeperThanMaxDepth_isRefusedAtPut_notDiscoveredAtGet() throws Exception {
    SharedDict<String, Object> d = m.dict("deep.put");
    // 2,500 levels: small (5 KB) and readable on a big stack, but too deep for max.depth (256)
    Throwable e = onBigStack(() -> d.put("x", nested(2_500)));
    assertInstanceOf(IllegalArgumentException.class, e, String.valueOf(e));
    assertTrue(e.getMessage().contains("max.depth"), e.getMessage());
    assertEquals(0, d.size(), "nothing was stored");
    assertTrue(m.isConnected());
  }

  @Test
  void valuesAtMaxDepth_areStored_andReadBack_evenNestedInAReply() {
    SharedDict<String, Object> d = m.dict("deep.limit");
    List<Object> atLimit = nested(255); // 255 lists around an empty one: 256 levels
    d.put("a", atLimit);
    d.put("b", atLimit);
    assertEquals(atLimit, other.dict("deep.limit").get("a"));
    // copy() puts both in a map: deeper than max.depth on the way back, and that is fine
    assertEquals(java.util.Map.of("a", atLimit, "b", atLimit), d.copy());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> d.put("c", nested(256)));
    assertTrue(e.getMessage().contains("max.depth"), e.getMessage());
  }

  @Test
  void valueTooDeepForTheCallerToWrite_isAnArgumentError_beforeAnythingIsSent() {
    SharedDict<String, Object> d = m.dict("deep.caller");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> d.put("x", nested(200_000)));
    assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    assertTrue(m.isConnected());
    d.put("fine", 2);
    assertEquals(2, d.get("fine"));
  }
}
