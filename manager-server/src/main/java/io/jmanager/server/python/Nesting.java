package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The check every decoded pickle passes: only the table's types; containers nested at most {@code
 * maxDepth} deep (the request tuple counts as a level); no container that contains itself (Python
 * allows {@code l.append(l)}; a Java {@code List} that holds itself breaks {@code hashCode}, {@code
 * equals} and every serializer); and at most {@code maxElements} elements when shared parts are
 * counted each time they appear, because everything downstream unfolds them (the daemon's Kryo
 * writes no references, nor does {@link PickleWriter}): a few hundred bytes of pickle sharing one
 * list {@code 2^40} ways must not become {@code 2^40} elements on a Java worker's wire. Each
 * container is measured once, so the check costs the pickle's size, not the unfolded size.
 */
final class Nesting {
  /** A container's levels (itself included) and its elements (itself included), unfolded. */
  private record Measure(int height, long elements) {}

  private static final Measure SCALAR = new Measure(0, 1);
  private static final Measure IN_PROGRESS = new Measure(-1, 0);

  private final int maxDepth;
  private final long maxElements;
  private final Map<Object, Measure> measured = new IdentityHashMap<>();

  private Nesting(int maxDepth, long maxElements) {
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
  }

  static void check(Object root, int maxDepth, long maxElements) {
    new Nesting(maxDepth, maxElements).measure(root, 1);
  }

  /** {@code o}'s measure; {@code level} is its own level if it is a container. */
  private Measure measure(Object o, int level) {
    if (isScalar(o)) {
      return SCALAR;
    }
    if (!(o instanceof ArrayList || o instanceof PythonTuple || o instanceof LinkedHashMap
        || o instanceof LinkedHashSet || o instanceof PythonFrozenSet)) {
      throw new UnpicklingException("a pickle cannot hold " + o + " as a value");
    }
    Measure m = measured.get(o);
    if (m == IN_PROGRESS) {
      throw new UnpicklingException("a recursive structure (a container that contains itself)"
          + " cannot be sent to the Python gateway");
    }
    if (m == null) {
      m = measureContainer(o, level);
    }
    if (level - 1 + m.height() > maxDepth) {
      throw tooDeep(maxDepth);
    }
    return m;
  }

  private Measure measureContainer(Object o, int level) {
    if (level > maxDepth) {
      throw tooDeep(maxDepth);
    }
    measured.put(o, IN_PROGRESS);
    int deepest = 0;
    long elements = 1;
    Iterable<?> items = o instanceof Map<?, ?> map ? flatten(map) : (Iterable<?>) o;
    for (Object item : items) {
      Measure m = measure(item, level + 1);
      deepest = Math.max(deepest, m.height());
      elements += m.elements();
      if (elements > maxElements) {
        throw new UnpicklingException("a value of more than " + maxElements + " elements,"
            + " counting shared parts each time they appear, cannot be sent to the Python"
            + " gateway");
      }
    }
    Measure m = new Measure(deepest + 1, elements);
    measured.put(o, m);
    return m;
  }

  private static Iterable<Object> flatten(Map<?, ?> map) {
    ArrayList<Object> keysAndValues = new ArrayList<>(map.size() * 2);
    map.forEach((k, v) -> {
      keysAndValues.add(k);
      keysAndValues.add(v);
    });
    return keysAndValues;
  }

  private static boolean isScalar(Object o) {
    return o == null || o instanceof String || o instanceof Integer || o instanceof Long
        || o instanceof BigInteger || o instanceof Double || o instanceof Boolean
        || o instanceof byte[];
  }

  static UnpicklingException tooDeep(int maxDepth) {
    return new UnpicklingException("a value nested deeper than " + maxDepth + " levels");
  }
}
