package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import static io.jmanager.server.python.PythonArgs.ABSENT;
import static io.jmanager.server.python.PythonMethods.remote;

import io.jmanager.client.SharedDict;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.IteratorOver;
import io.jmanager.server.python.PythonMethods.Plan;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A shared dict ({@code SharedDict}, daemon type {@code dict}) as CPython's {@code DictProxy} uses
 * it. One daemon call each:
 *
 * <table>
 *   <caption>Python method, Java method, Python result</caption>
 *   <tr><td>{@code d[k]}</td>
 *       <td>{@code get(k)}</td>
 *       <td>the value; null is {@code KeyError(k)}</td></tr>
 *   <tr><td>{@code d[k] = v}</td><td>{@code put(k, v)}</td><td>None</td></tr>
 *   <tr><td>{@code del d[k]}</td>
 *       <td>{@code remove(k)}</td>
 *       <td>None; null is {@code KeyError(k)}</td></tr>
 *   <tr><td>{@code k in d}, {@code len(d)}</td>
 *       <td>{@code containsKey(k)}, {@code size()}</td>
 *       <td>as is</td></tr>
 *   <tr><td>{@code get(k[, d])}</td><td>{@code get(k)}</td><td>null is {@code d} (None)</td></tr>
 *   <tr><td>{@code pop(k[, d])}</td>
 *       <td>{@code remove(k)}</td>
 *       <td>null is {@code d}, else {@code KeyError(k)}</td></tr>
 *   <tr><td>{@code setdefault(k, d)}</td><td>{@code putIfAbsent(k, d)}</td><td>null is {@code d}
 *       (stored); with {@code d} None: {@code get(k)}, null is the TypeError below</td></tr>
 *   <tr><td>{@code update(m, **kw)}, {@code d |= m}</td><td>{@code putAll(map)} (none if
 *       empty)</td><td>None</td></tr>
 *   <tr><td>{@code clear()}</td><td>{@code clear()}</td><td>None</td></tr>
 *   <tr><td>{@code copy()}, {@code keys()}, {@code values()}, {@code items()}, {@code iter(d)},
 *       {@code reversed(d)}, {@code d | m}, {@code m | d}, {@code repr(d)}</td>
 *       <td>{@code copy()}</td>
 *       <td>a dict; lists (items as 2-tuples); an {@link IteratorOver} the keys; a new dict; the
 *       repr</td></tr>
 *   <tr><td>{@code fromkeys(it[, v])}</td><td>none</td><td>a new plain dict</td></tr>
 * </table>
 *
 * <p>{@code popitem()} takes {@code copy()}, then {@code remove(k)} of its keys in turn until one
 * is still there (its value is the one removed, atomically), starting again if others took them
 * all: linearizable, but it pops an arbitrary item, not the last inserted (the daemon's map keeps
 * no insertion order; likewise {@code keys()} and iteration follow the map's order, though {@code
 * keys()}, {@code values()} and {@code items()} of an unchanged dict agree). An empty dict is
 * {@code KeyError('popitem(): dictionary is empty')}.
 *
 * <p>The daemon's map is a Java {@code ConcurrentMap}: it cannot hold None as a key or value, so
 * storing one is a {@code TypeError} that says so (looking one up is simply absent). A key Python
 * cannot hash (a list, dict or set) is {@code TypeError: unhashable type}, and a bytes key is
 * refused too: Java compares {@code byte[]} by identity, so it could never be found again. Equality
 * is Java's {@code equals}: {@code 1}, {@code 1.0} and {@code True} are three keys.
 */
final class DictMethods implements PythonMethods.PythonType {
  private static final Method GET = remote(SharedDict.class, "get", Object.class);
  private static final Method PUT = remote(SharedDict.class, "put", Object.class, Object.class);
  private static final Method REMOVE = remote(SharedDict.class, "remove", Object.class);
  private static final Method CONTAINS_KEY = remote(SharedDict.class, "containsKey", Object.class);
  private static final Method SIZE = remote(SharedDict.class, "size");
  private static final Method PUT_IF_ABSENT =
      remote(SharedDict.class, "putIfAbsent", Object.class, Object.class);
  private static final Method PUT_ALL = remote(SharedDict.class, "putAll", Map.class);
  private static final Method CLEAR = remote(SharedDict.class, "clear");
  private static final Method COPY = remote(SharedDict.class, "copy");

  private static final List<String> EXPOSED =
      List.of(
          "__contains__",
          "__delitem__",
          "__getitem__",
          "__ior__",
          "__iter__",
          "__len__",
          "__or__",
          "__reversed__",
          "__ror__",
          "__setitem__",
          "clear",
          "copy",
          "fromkeys",
          "get",
          "items",
          "keys",
          "pop",
          "popitem",
          "setdefault",
          "update",
          "values");

  @Override
  public String pythonClass() {
    return "dict";
  }

  @Override
  public List<String> exposed() {
    return EXPOSED;
  }

  @Override
  public Plan plan(String method, PythonArgs a) {
    return switch (method) {
      case "__len__" -> none(a, Plan.call(SIZE));
      case "__contains__" -> contains(a.positional(1, 1)[0]);
      case "__getitem__" -> getItem(a.positional(1, 1)[0]);
      case "__setitem__" -> setItem(a.positional(2, 2));
      case "__delitem__" -> delItem(a.positional(1, 1)[0]);
      case "get" -> get(a.positional(1, 2));
      case "pop" -> pop(a.positional(1, 2));
      case "popitem" -> none(a, popitem());
      case "setdefault" -> setdefault(a.positional(1, 2));
      case "update" -> update(a.args(), a.kwds());
      case "__ior__" -> update(Arrays.asList(a.positional(1, 1)[0]), Map.of());
      case "clear" -> none(a, Plan.call(CLEAR).thenNone());
      case "copy", "#GETVALUE" -> none(a, Plan.call(COPY));
      case "keys" -> none(a, copy(m -> new ArrayList<>(m.keySet())));
      case "values" -> none(a, copy(m -> new ArrayList<>(m.values())));
      case "items" -> none(a, copy(DictMethods::items));
      case "__iter__" -> none(a, copy(m -> new IteratorOver(new ArrayList<>(m.keySet()))));
      case "__reversed__" -> none(a, copy(DictMethods::reversedKeys));
      case "__or__" -> or(a.positional(1, 1)[0], false);
      case "__ror__" -> or(a.positional(1, 1)[0], true);
      case "fromkeys" -> fromkeys(a.positional(1, 2));
      case "__repr__", "__str__" -> none(a, copy(PythonRepr::repr));
      default -> null;
    };
  }

  /** {@code plan}, after checking that the call passed no arguments. */
  private static Plan none(PythonArgs a, Plan plan) {
    a.positional(0, 0);
    return plan;
  }

  private static Plan copy(Function<Map<?, ?>, Object> mapping) {
    return Plan.call(COPY).then(r -> mapping.apply((Map<?, ?>) r));
  }

  private static Plan contains(Object key) {
    return key == null ? Plan.answer(false) : Plan.call(CONTAINS_KEY, hashable(key));
  }

  private static Plan getItem(Object key) {
    if (key == null) {
      throw keyError(null);
    }
    return Plan.call(GET, hashable(key)).then(v -> v != null ? v : raise(keyError(key)));
  }

  private static Plan setItem(Object[] kv) {
    return Plan.call(PUT, storedKey(kv[0]), storedValue(kv[1])).thenNone();
  }

  private static Plan delItem(Object key) {
    if (key == null) {
      throw keyError(null);
    }
    return Plan.call(REMOVE, hashable(key)).then(v -> v != null ? null : raise(keyError(key)));
  }

  private static Plan get(Object[] a) {
    Object fallback = a[1] == ABSENT ? null : a[1];
    return a[0] == null
        ? Plan.answer(fallback)
        : Plan.call(GET, hashable(a[0])).then(v -> v != null ? v : fallback);
  }

  private static Plan pop(Object[] a) {
    Object key = a[0];
    Object fallback = a[1];
    if (key == null) {
      return Plan.answer(fallback != ABSENT ? fallback : raise(keyError(null)));
    }
    return Plan.call(REMOVE, hashable(key))
        .then(v -> v != null ? v : fallback != ABSENT ? fallback : raise(keyError(key)));
  }

  private static Plan popitem() {
    return Plan.call(COPY).then(r -> removeOneOf(new ArrayList<>(((Map<?, ?>) r).keySet()), 0));
  }

  /**
   * Removes {@code keys[i]}, or the next one still there; starts {@code popitem} again if none is.
   */
  private static Object removeOneOf(List<Object> keys, int i) {
    if (keys.isEmpty()) {
      throw PythonException.of(Kind.KEY_ERROR, "popitem(): dictionary is empty");
    }
    if (i == keys.size()) {
      return popitem(); // others took every key we saw: look again
    }
    Object key = keys.get(i);
    return Plan.call(REMOVE, key)
        .then(v -> v != null ? PythonTuple.of(key, v) : removeOneOf(keys, i + 1));
  }

  private static Plan setdefault(Object[] a) {
    Object key = storedKey(a[0]);
    Object fallback = a[1] == ABSENT ? null : a[1];
    if (fallback == null) { // Python would store None if absent; a shared dict cannot
      return Plan.call(GET, key)
          .then(
              v ->
                  v != null
                      ? v
                      : raise(noneError("value (setdefault() stores None when given no default)")));
    }
    return Plan.call(PUT_IF_ABSENT, key, fallback).then(v -> v != null ? v : fallback);
  }

  private static Plan update(List<Object> args, Map<String, Object> kwds) {
    if (args.size() > 1) {
      throw PythonArgs.typeError("update expected at most 1 argument, got " + args.size());
    }
    Map<Object, Object> entries = new LinkedHashMap<>();
    if (!args.isEmpty()) {
      addEntries(entries, args.get(0));
    }
    entries.putAll(kwds);
    entries.forEach(
        (k, v) -> {
          storedKey(k);
          storedValue(v);
        });
    return entries.isEmpty() ? Plan.answer(null) : Plan.call(PUT_ALL, entries).thenNone();
  }

  /** A mapping's entries, or an iterable's pairs, as {@code dict.update} reads them. */
  private static void addEntries(Map<Object, Object> entries, Object source) {
    if (source instanceof Map<?, ?> m) {
      entries.putAll(m);
      return;
    }
    List<Object> pairs = PythonArgs.iterate(source);
    for (int i = 0; i < pairs.size(); i++) {
      List<Object> kv;
      try {
        kv = PythonArgs.iterate(pairs.get(i));
      } catch (PythonException notIterable) {
        throw PythonArgs.typeError(
            "cannot convert dictionary update sequence element #" + i + " to a sequence");
      }
      if (kv.size() != 2) {
        throw PythonException.of(
            Kind.VALUE_ERROR,
            "dictionary update sequence element #"
                + i
                + " has length "
                + kv.size()
                + "; 2 is required");
      }
      entries.put(kv.get(0), kv.get(1));
    }
  }

  private static Plan or(Object other, boolean reflected) {
    if (!(other instanceof Map<?, ?> m)) {
      String left = reflected ? PythonRepr.typeName(other) : "dict";
      String right = reflected ? "dict" : PythonRepr.typeName(other);
      throw PythonArgs.typeError(
          "unsupported operand type(s) for |: '" + left + "' and '" + right + "'");
    }
    return copy(
        mine -> {
          Map<Object, Object> out = new LinkedHashMap<>(reflected ? m : mine);
          out.putAll(reflected ? mine : m);
          return out;
        });
  }

  private static Plan fromkeys(Object[] a) {
    Object value = a[1] == ABSENT ? null : a[1];
    Map<Object, Object> out = new LinkedHashMap<>();
    PythonArgs.iterate(a[0]).forEach(k -> out.put(hashable(k), value));
    return Plan.answer(out);
  }

  private static List<Object> items(Map<?, ?> m) {
    List<Object> out = new ArrayList<>(m.size());
    m.forEach((k, v) -> out.add(PythonTuple.of(k, v)));
    return out;
  }

  private static IteratorOver reversedKeys(Map<?, ?> m) {
    List<Object> keys = new ArrayList<>(m.keySet());
    Collections.reverse(keys);
    return new IteratorOver(keys);
  }

  /** A key to store: hashable, not None, not bytes. */
  private static Object storedKey(Object key) {
    if (key == null) {
      throw noneError("key");
    }
    if (key instanceof byte[]) {
      throw PythonArgs.typeError(
          "a shared dict cannot hold bytes keys: Java compares byte arrays by"
              + " identity, so the key could never be found again; use a str or a tuple of ints");
    }
    return hashable(key);
  }

  private static Object storedValue(Object value) {
    if (value == null) {
      throw noneError("value");
    }
    return value;
  }

  /** A key as Python takes it: a list, dict or set is {@code TypeError: unhashable type}. */
  private static Object hashable(Object key) {
    if (!PythonTuple.isHashable(key)) {
      throw PythonArgs.typeError("unhashable type: '" + PythonRepr.typeName(key) + "'");
    }
    return key;
  }

  private static PythonException noneError(String what) {
    return PythonArgs.typeError(
        "a shared dict cannot hold None as a "
            + what
            + ": its daemon side is a Java ConcurrentMap, which forbids null; store a sentinel"
            + " instead");
  }

  private static PythonException keyError(Object key) {
    return new PythonException(PythonError.keyError(key));
  }

  /** Throws {@code e}; typed to fit in an expression. */
  private static Object raise(PythonException e) {
    throw e;
  }
}
