package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import static io.jmanager.server.python.PythonArgs.ABSENT;
import static io.jmanager.server.python.PythonMethods.remote;

import io.jmanager.client.SharedList;
import io.jmanager.server.python.PythonArgs.Param;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.server.python.PythonMethods.IteratorOver;
import io.jmanager.server.python.PythonMethods.Plan;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A shared list ({@code SharedList}, daemon type {@code list}) as CPython's {@code ListProxy} uses
 * it. One daemon call each:
 *
 * <table>
 *   <caption>Python method, Java method, Python result</caption>
 *   <tr><td>{@code l[i]} (i &ge; 0)</td><td>{@code get(i)}</td><td>out of range: {@code
 *       IndexError('list index out of range')}</td></tr>
 *   <tr><td>{@code l[i] = v}, {@code del l[i]} (i &ge; 0)</td><td>{@code set(i, v)}, {@code
 *       remove(int)}</td>
 *       <td>None; {@code IndexError('list assignment index out of range')}</td></tr>
 *   <tr><td>{@code pop(i)} (i &ge; 0)</td>
 *       <td>{@code remove(int)}</td>
 *       <td>the element; out of range:
 *       {@code size()} then words the IndexError as Python ({@code pop from empty list}, {@code pop
 *       index out of range})</td></tr>
 *   <tr><td>{@code append(x)}, {@code extend(it)}, {@code l += it}</td><td>{@code add(x)}, {@code
 *       addAll(list)}</td><td>None</td></tr>
 *   <tr><td>{@code insert(i, x)} (i &ge; 0)</td><td>{@code add(i, x)}; past the end {@code add(x)}
 *       (Python clamps)</td><td>None</td></tr>
 *   <tr><td>{@code remove(x)}</td><td>{@code remove(Object)}</td><td>false: {@code
 *       ValueError('list.remove(x): x not in list')}</td></tr>
 *   <tr><td>{@code index(x)}</td><td>{@code indexOf(x)}</td><td>-1: {@code ValueError('x is not in
 *       list')}</td></tr>
 *   <tr><td>{@code x in l}, {@code len(l)}, {@code clear()}</td><td>{@code contains}, {@code size},
 *       {@code clear}</td><td>as is; None</td></tr>
 *   <tr><td>{@code sort(reverse=r)}</td><td>{@code sort(PythonOrder)}</td><td>None; no {@code key}
 *       (TypeError)</td></tr>
 *   <tr><td>{@code l *= n} (n &le; 0)</td>
 *       <td>{@code clear()}; n = 1: no call</td>
 *       <td>None</td></tr>
 *   <tr><td>{@code l[-i]}, {@code count(x)}, {@code index(x, start, stop)}, {@code l + m}, {@code
 *       l * n}, {@code reversed(l)}, {@code copy()}, {@code repr(l)}</td><td>{@code copy()}</td>
 *       <td>computed from the copy ({@code reversed}: an {@link IteratorOver})</td></tr>
 * </table>
 *
 * <p><b>Not atomic:</b> a mutation at a negative index ({@code l[-1] = v}, {@code del l[-1]},
 * {@code pop()}, {@code pop(-2)}, {@code insert(-1, x)}) takes {@code size()} first and then acts
 * at the index it computed: if another process inserts or removes elements between the two calls,
 * it acts on the element now at that position (say, {@code pop()} removes what was last before
 * another process appended); if the list shrank so that the index is gone, it starts over. The
 * daemon has no call that counts from the end. Likewise {@code insert(i, x)} past the end appends
 * in a second call after {@code add(i, x)} failed. {@code reverse()} and {@code l *= n} for n above
 * 1 would have to read the list and write it back, losing other processes' changes in between, so
 * they are refused with a {@code RuntimeError} that says what to do instead.
 *
 * <p>Equality ({@code in}, {@code count}, {@code index}, {@code remove}) is Java's {@code equals}:
 * {@code 1}, {@code 1.0} and {@code True} differ, and bytes never match on the daemon. Slices never
 * arrive (the codec does not decode {@code slice}); another index type is Python's {@code
 * TypeError}.
 */
final class ListMethods implements PythonMethods.PythonType {
  private static final Method GET = remote(SharedList.class, "get", int.class);
  private static final Method SET = remote(SharedList.class, "set", int.class, Object.class);
  private static final Method ADD = remote(SharedList.class, "add", Object.class);
  private static final Method ADD_AT = remote(SharedList.class, "add", int.class, Object.class);
  private static final Method ADD_ALL = remote(SharedList.class, "addAll", Collection.class);
  private static final Method REMOVE_AT = remote(SharedList.class, "remove", int.class);
  private static final Method REMOVE = remote(SharedList.class, "remove", Object.class);
  private static final Method INDEX_OF = remote(SharedList.class, "indexOf", Object.class);
  private static final Method CONTAINS = remote(SharedList.class, "contains", Object.class);
  private static final Method SIZE = remote(SharedList.class, "size");
  private static final Method CLEAR = remote(SharedList.class, "clear");
  private static final Method COPY = remote(SharedList.class, "copy");
  private static final Method SORT = remote(SharedList.class, "sort", Comparator.class);

  private static final List<String> EXPOSED =
      List.of(
          "__add__",
          "__contains__",
          "__delitem__",
          "__getitem__",
          "__imul__",
          "__len__",
          "__mul__",
          "__reversed__",
          "__rmul__",
          "__setitem__",
          "append",
          "clear",
          "copy",
          "count",
          "extend",
          "index",
          "insert",
          "pop",
          "remove",
          "reverse",
          "sort");

  private static final String OUT_OF_RANGE = "list index out of range";
  private static final String ASSIGNMENT_OUT_OF_RANGE = "list assignment index out of range";

  @Override
  public String pythonClass() {
    return "list";
  }

  @Override
  public List<String> exposed() {
    return EXPOSED;
  }

  @Override
  public Plan plan(String method, PythonArgs a) {
    return switch (method) {
      case "__len__" -> none(a, Plan.call(SIZE));
      case "__contains__" -> Plan.call(CONTAINS, a.positional(1, 1)[0]);
      case "__getitem__" -> getItem(subscript(a.positional(1, 1)[0]));
      case "__setitem__" -> setItem(a.positional(2, 2));
      case "__delitem__" ->
          atIndex(
              subscript(a.positional(1, 1)[0]),
              ASSIGNMENT_OUT_OF_RANGE,
              j -> Plan.call(REMOVE_AT, j).thenNone());
      case "append" -> Plan.call(ADD, a.positional(1, 1)[0]).thenNone();
      case "extend" -> extend(a.positional(1, 1)[0]);
      case "insert" -> insert(a.positional(2, 2));
      case "pop" -> pop(a.positional(0, 1)[0]);
      case "remove" -> remove(a.positional(1, 1)[0]);
      case "index" -> index(a.positional(1, 3));
      case "count" -> count(a.positional(1, 1)[0]);
      case "sort" -> sort(a.keywordOnly(new Param("key", null), new Param("reverse", false)));
      case "reverse" ->
          throw refused(
              "list.reverse()", "read it backwards with reversed(l), or sort(reverse=True)");
      case "__imul__" -> imul(a.positional(1, 1)[0]);
      case "__mul__", "__rmul__" -> mul(a.positional(1, 1)[0]);
      case "__add__" -> add(a.positional(1, 1)[0]);
      case "__reversed__" -> none(a, copy(ListMethods::reversed));
      case "clear" -> none(a, Plan.call(CLEAR).thenNone());
      case "copy", "#GETVALUE" -> none(a, Plan.call(COPY));
      case "__repr__", "__str__" -> none(a, copy(PythonRepr::repr));
      default -> null;
    };
  }

  private static Plan none(PythonArgs a, Plan plan) {
    a.positional(0, 0);
    return plan;
  }

  private static Plan copy(Function<List<?>, Object> mapping) {
    return Plan.call(COPY).then(r -> mapping.apply((List<?>) r));
  }

  /** A subscript: Python's int, else the TypeError list indexing raises. */
  private static long subscript(Object index) {
    Long i = PythonArgs.integer(index);
    if (i == null) {
      throw PythonArgs.typeError(
          "list indices must be integers or slices, not " + PythonRepr.typeName(index));
    }
    return i;
  }

  /**
   * Reading at a negative index copies the list: one atomic call, where size-then-get would race.
   */
  private static Plan getItem(long i) {
    if (i >= 0) {
      return atIndex(i, OUT_OF_RANGE, j -> Plan.call(GET, j));
    }
    return copy(
        l -> {
          long j = i + l.size();
          return j < 0 ? raise(Kind.INDEX_ERROR, OUT_OF_RANGE) : l.get((int) j);
        });
  }

  private static Plan setItem(Object[] a) {
    Object value = a[1];
    return atIndex(
        subscript(a[0]), ASSIGNMENT_OUT_OF_RANGE, j -> Plan.call(SET, j, value).thenNone());
  }

  /**
   * {@code act} at Python index {@code i}: at once if it is not negative; else at {@code size() +
   * i}, starting over if the list has shrunk past it meanwhile (see the class javadoc).
   */
  private static Plan atIndex(long i, String outOfRange, IntFunction<Plan> act) {
    if (i > Integer.MAX_VALUE) {
      throw PythonException.of(Kind.INDEX_ERROR, outOfRange);
    }
    if (i >= 0) {
      return act.apply((int) i)
          .onFailure(IndexOutOfBoundsException.class, () -> raise(Kind.INDEX_ERROR, outOfRange));
    }
    return Plan.call(SIZE)
        .then(
            n -> {
              long j = i + (Integer) n;
              if (j < 0) {
                return raise(Kind.INDEX_ERROR, outOfRange);
              }
              return act.apply((int) j)
                  .onFailure(IndexOutOfBoundsException.class, () -> atIndex(i, outOfRange, act));
            });
  }

  private static Plan pop(Object index) {
    long i = index == ABSENT ? -1 : PythonArgs.index(index);
    if (i >= 0 && i <= Integer.MAX_VALUE) {
      return Plan.call(REMOVE_AT, (int) i)
          .onFailure(
              IndexOutOfBoundsException.class, () -> Plan.call(SIZE).then(n -> popError((int) n)));
    }
    return Plan.call(SIZE)
        .then(
            n -> {
              int size = (Integer) n;
              long j = i < 0 ? i + size : i;
              if (size == 0 || j < 0 || j >= size) {
                return popError(size);
              }
              return Plan.call(REMOVE_AT, (int) j)
                  .onFailure(IndexOutOfBoundsException.class, () -> pop(index));
            });
  }

  /** Python's IndexError for a pop out of range of a list of {@code size}. */
  private static Object popError(int size) {
    return raise(Kind.INDEX_ERROR, size == 0 ? "pop from empty list" : "pop index out of range");
  }

  private static Plan remove(Object x) {
    return Plan.call(REMOVE, x)
        .then(r -> (Boolean) r ? null : raise(Kind.VALUE_ERROR, "list.remove(x): x not in list"));
  }

  private static Plan insert(Object[] a) {
    long i = PythonArgs.index(a[0]);
    Object x = a[1];
    if (i > Integer.MAX_VALUE) {
      return Plan.call(ADD, x).thenNone();
    }
    if (i >= 0) {
      return Plan.call(ADD_AT, (int) i, x)
          .thenNone()
          .onFailure(IndexOutOfBoundsException.class, () -> Plan.call(ADD, x).thenNone());
    }
    return Plan.call(SIZE)
        .then(
            n ->
                Plan.call(ADD_AT, (int) Math.max(0, i + (Integer) n), x)
                    .thenNone()
                    .onFailure(IndexOutOfBoundsException.class, () -> insert(a)));
  }

  private static Plan extend(Object iterable) {
    List<Object> items = PythonArgs.iterate(iterable);
    return items.isEmpty() ? Plan.answer(null) : Plan.call(ADD_ALL, items).thenNone();
  }

  private static Plan index(Object[] a) {
    Object x = a[0];
    if (a[1] == ABSENT) {
      return Plan.call(INDEX_OF, x)
          .then(r -> (Integer) r >= 0 ? r : raise(Kind.VALUE_ERROR, notInList(x)));
    }
    long start = sliceIndex(a[1]);
    long stop = a[2] == ABSENT ? Long.MAX_VALUE : sliceIndex(a[2]);
    return copy(
        l -> {
          int from = clamp(start, l.size());
          int to = clamp(stop, l.size());
          for (int k = from; k < to; k++) {
            if (same(l.get(k), x)) {
              return k;
            }
          }
          return raise(Kind.VALUE_ERROR, notInList(x));
        });
  }

  private static String notInList(Object x) {
    return PythonRepr.repr(x) + " is not in list";
  }

  private static long sliceIndex(Object value) {
    Long i = PythonArgs.integer(value);
    if (i == null) {
      throw PythonArgs.typeError("slice indices must be integers or have an __index__ method");
    }
    return i;
  }

  /** A slice bound as Python clamps it to {@code [0, size]}. */
  private static int clamp(long bound, int size) {
    long b = bound < 0 ? bound + size : bound;
    return (int) Math.max(0, Math.min(b, size));
  }

  private static Plan count(Object x) {
    return copy(l -> (int) l.stream().filter(e -> same(e, x)).count());
  }

  private static boolean same(Object a, Object b) {
    return a instanceof byte[] x && b instanceof byte[] y
        ? Arrays.equals(x, y)
        : Objects.equals(a, b);
  }

  private static Plan sort(Object[] a) {
    if (a[0] != null) {
      throw PythonArgs.typeError(
          "a shared list sorts on the daemon in one call and cannot run a key"
              + " function there; sort a copy instead: sorted(l._getvalue(), key=...)");
    }
    return Plan.call(SORT, PythonArgs.truthy(a[1]) ? PythonOrder.DESCENDING : PythonOrder.ASCENDING)
        .thenNone();
  }

  private static Plan imul(Object times) {
    long n = repeats(times);
    if (n <= 0) {
      return Plan.call(CLEAR).thenNone();
    }
    if (n == 1) {
      return Plan.answer(null);
    }
    throw refused(
        "l *= n for n above 1",
        "extend it with a copy, l.extend(l._getvalue() * (n - 1)),"
            + " if no other process changes it meanwhile");
  }

  private static Plan mul(Object times) {
    long n = repeats(times);
    return copy(
        l -> {
          long size = Math.max(0, n) * l.size();
          if (size > Integer.MAX_VALUE - 8) {
            return raise(
                Kind.REMOTE_ERROR,
                "the repeated list would have " + size + " elements, more than a Java list holds");
          }
          List<Object> out = new ArrayList<>((int) size);
          for (long k = 0; k < n; k++) {
            out.addAll(l);
          }
          return out;
        });
  }

  private static long repeats(Object times) {
    Long n = PythonArgs.integer(times);
    if (n == null) {
      throw PythonArgs.typeError(
          "can't multiply sequence by non-int of type '" + PythonRepr.typeName(times) + "'");
    }
    return n;
  }

  private static Plan add(Object other) {
    if (!(other instanceof List<?> m) || other instanceof PythonTuple) {
      throw PythonArgs.typeError(
          "can only concatenate list (not \"" + PythonRepr.typeName(other) + "\") to list");
    }
    return copy(
        l -> {
          List<Object> out = new ArrayList<>(l);
          out.addAll(m);
          return out;
        });
  }

  private static IteratorOver reversed(List<?> l) {
    List<Object> items = new ArrayList<>(l);
    Collections.reverse(items);
    return new IteratorOver(items);
  }

  private static PythonException refused(String what, String instead) {
    return PythonException.of(
        Kind.RUNTIME_ERROR,
        what
            + " is not supported on a shared list: the daemon has no single call for it, and"
            + " reading the list then writing it back would lose other processes' changes in"
            + " between; "
            + instead);
  }

  /** Throws {@code kind(message)}; typed to fit in an expression. */
  private static Object raise(Kind kind, String message) {
    throw PythonException.of(kind, message);
  }
}
