package io.jmanager.server.journal;

import io.jmanager.server.types.CacheObject;
import io.jmanager.server.types.CounterObject;
import io.jmanager.server.types.DictObject;
import io.jmanager.server.types.DoubleArrayObject;
import io.jmanager.server.types.JoinableQueueObject;
import io.jmanager.server.types.ListObject;
import io.jmanager.server.types.LongArrayObject;
import io.jmanager.server.types.NamespaceObject;
import io.jmanager.server.types.QueueEffects;
import io.jmanager.server.types.QueueObject;
import io.jmanager.server.types.ValueObject;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What is durable of each built-in type, in one table: which methods mutate and the records of
 * their effects ({@link #recorder}), how a record is applied at replay ({@link #apply}), and the
 * records that capture an object for a snapshot ({@link #capture}).
 *
 * <ul>
 *   <li>dict: the resulting entry of each key a call touched (PUT or REMOVE), CLEAR;
 *       {@code increment} is the PUT of its result.
 *   <li>list: APPEND, INSERT, SET_AT, REMOVE_AT; a call that reorders or filters the whole list
 *       ({@code sort}, {@code removeAll}, {@code retainAll}) records CLEAR and the result.
 *   <li>queue, joinable-queue: items added at the tail, put back at the head, removed from the
 *       head (the removal a {@code take} made, not the {@code take}), the unfinished-task count;
 *       recorded by the queue itself ({@link QueueEffects}), since items also move without a call
 *       (an item handed back from a closed session; a parked put admitted by a take).
 *   <li>value, counter: the resulting value. long/double arrays: the resulting slots.
 *       namespace: the attribute set or deleted. cache: each entry with the wall-clock time it
 *       expires ({@code expireAfterWrite}), invalidations.
 *   <li>user types: the state of those whose class implements {@link DurableState}.
 *   <li>lock, rlock, semaphore, bounded-semaphore, condition, event, barrier, pipe: only their
 *       existence (the CREATE record); a restarted daemon has every lock free, no permit taken,
 *       every event clear and every pipe empty.
 * </ul>
 */
public final class Effects {
  private Effects() {}

  private static final int RANGE_CHUNK = 1 << 16;

  /**
   * {@return the recorder of method {@code m} of built-in type {@code typeid}, or null if it
   * changes nothing durable} Looked up once per method, when the type table is built.
   *
   * @param typeid a built-in type id
   * @param m a method of the type's server class
   */
  public static Recorder recorder(String typeid, Method m) {
    String n = m.getName();
    Class<?>[] p = m.getParameterTypes();
    return switch (typeid) {
      case "dict" -> dict(n);
      case "list" -> list(n, p);
      case "counter" -> switch (n) {
        case "set", "addAndGet", "getAndAdd", "incrementAndGet", "decrementAndGet", "compareAndSet" ->
            (j, id, o, a, r, b) -> j.append(id, Op.SET, ((CounterObject) o).get());
        default -> null;
      };
      case "value" -> switch (n) {
        case "set", "getAndSet", "compareAndSet" -> (j, id, o, a, r, b) -> j.append(id, Op.SET, ((ValueObject) o).get());
        default -> null;
      };
      case "long-array", "double-array" -> array(n, p);
      case "namespace" -> switch (n) {
        case "set" -> (j, id, o, a, r, b) -> j.append(id, Op.PUT, a[0], a[1]);
        case "delete" -> (j, id, o, a, r, b) -> j.append(id, Op.REMOVE, a[0]);
        default -> null;
      };
      case "cache" -> cache(n);
      default -> null; // queues record themselves; the rest keeps only its existence
    };
  }

  private static Recorder dict(String n) {
    return switch (n) {
      case "put", "putIfAbsent", "replace", "remove", "increment" -> (j, id, o, a, r, b) -> entry(j, id, (DictObject) o, a[0]);
      case "putAll" -> (j, id, o, a, r, b) -> {
        for (Object k : ((Map<?, ?>) a[0]).keySet()) {
          entry(j, id, (DictObject) o, k);
        }
      };
      case "clear" -> (j, id, o, a, r, b) -> j.append(id, Op.CLEAR);
      default -> null;
    };
  }

  private static void entry(Journal j, int id, DictObject d, Object key) {
    Object v = d.get(key);
    if (v == null) {
      j.append(id, Op.REMOVE, key);
    } else {
      j.append(id, Op.PUT, key, v);
    }
  }

  private static Recorder list(String n, Class<?>[] p) {
    return switch (n) {
      case "add" -> p.length == 1
          ? (j, id, o, a, r, b) -> j.append(id, Op.APPEND, a[0])
          : (j, id, o, a, r, b) -> j.append(id, Op.INSERT, a[0], a[1]);
      case "addAll" -> p.length == 1
          ? (j, id, o, a, r, b) -> ((Collection<?>) a[0]).forEach(e -> j.append(id, Op.APPEND, e))
          : (j, id, o, a, r, b) -> {
            int i = (Integer) a[0];
            for (Object e : (Collection<?>) a[1]) {
              j.append(id, Op.INSERT, i++, e);
            }
          };
      case "set" -> (j, id, o, a, r, b) -> j.append(id, Op.SET_AT, a[0], a[1]);
      case "remove" -> p[0] == int.class
          ? (j, id, o, a, r, b) -> j.append(id, Op.REMOVE_AT, a[0])
          : new Recorder() {
            @Override
            public Object before(Object instance, Object[] args) {
              return ((ListObject) instance).indexOf(args[0]);
            }

            @Override
            public void record(Journal j, int id, Object o, Object[] a, Object r, Object before) {
              if (Boolean.TRUE.equals(r)) {
                j.append(id, Op.REMOVE_AT, before);
              }
            }
          };
      case "removeAll", "retainAll", "sort" -> (j, id, o, a, r, b) -> {
        if (!Boolean.FALSE.equals(r)) {
          j.append(id, Op.CLEAR);
          ((ListObject) o).copy().forEach(e -> j.append(id, Op.APPEND, e));
        }
      };
      case "clear" -> (j, id, o, a, r, b) -> j.append(id, Op.CLEAR);
      default -> null;
    };
  }

  private static Recorder array(String n, Class<?>[] p) {
    return switch (n) {
      case "set" -> p[1].isArray()
          ? (j, id, o, a, r, b) -> j.append(id, Op.SET_RANGE, a[0], a[1])
          : (j, id, o, a, r, b) -> j.append(id, Op.SET_AT, a[0], slot(o, (Integer) a[0]));
      case "addAndGet" -> (j, id, o, a, r, b) -> j.append(id, Op.SET_AT, a[0], slot(o, (Integer) a[0]));
      default -> null;
    };
  }

  private static Object slot(Object array, int i) {
    return array instanceof LongArrayObject l ? (Object) l.get(i) : (Object) ((DoubleArrayObject) array).get(i);
  }

  private static Recorder cache(String n) {
    return switch (n) {
      case "put", "putIfAbsent" -> (j, id, o, a, r, b) -> cacheEntry(j, id, (CacheObject) o, a[0]);
      case "putAll" -> (j, id, o, a, r, b) -> {
        for (Object k : ((Map<?, ?>) a[0]).keySet()) {
          cacheEntry(j, id, (CacheObject) o, k);
        }
      };
      case "invalidate" -> (j, id, o, a, r, b) -> j.append(id, Op.REMOVE, a[0]);
      case "invalidateAll" -> (j, id, o, a, r, b) -> j.append(id, Op.CLEAR);
      default -> null;
    };
  }

  private static void cacheEntry(Journal j, int id, CacheObject c, Object key) {
    Object[] e = c.durableEntry(key);
    if (e == null) {
      j.append(id, Op.REMOVE, key);
    } else {
      j.append(id, Op.CACHE_PUT, key, e[0], e[1]);
    }
  }

  /**
   * Makes a queue record its own effects into {@code journal} (it moves items outside calls too);
   * any other object is left as it is.
   *
   * @param instance a server-side object, just created or restored
   * @param objectId its id
   * @param journal where its records go
   */
  public static void attach(Object instance, int objectId, Journal journal) {
    if (instance instanceof QueueObject q) {
      q.journalTo(new QueueEffects() {
        @Override
        public void added(Object item) {
          journal.append(objectId, Op.APPEND, item);
        }

        @Override
        public void prepended(List<Object> items) {
          journal.append(objectId, Op.PREPEND, new ArrayList<>(items));
        }

        @Override
        public void removedFirst(int count) {
          journal.append(objectId, Op.REMOVE_FIRST, count);
        }

        @Override
        public void replaced(List<Object> items) {
          journal.append(objectId, Op.CLEAR);
          items.forEach(e -> journal.append(objectId, Op.APPEND, e));
        }

        @Override
        public void unfinished(long count) {
          journal.append(objectId, Op.UNFINISHED, count);
        }
      });
    }
  }

  /**
   * Records a user object's state after a call (inside its monitor: see {@link DurableState}).
   *
   * @param journal where the record goes
   * @param objectId the object's id
   * @param d the object
   */
  public static void recordState(Journal journal, int objectId, DurableState d) {
    journal.append(objectId, Op.STATE, d.journalState());
  }

  /** Applies {@code r} to {@code instance} (replay). */
  static void apply(Object instance, Record r) {
    if (!applied(instance, r.op(), r.operands())) {
      throw new IllegalStateException(r.op() + " does not apply to a " + instance.getClass().getSimpleName());
    }
  }

  private static boolean applied(Object x, Op op, Object[] a) {
    if (x instanceof DictObject d) {
      switch (op) {
        case PUT -> d.put(a[0], a[1]);
        case REMOVE -> d.remove(a[0]);
        case CLEAR -> d.clear();
        default -> {
          return false;
        }
      }
    } else if (x instanceof ListObject l) {
      switch (op) {
        case APPEND -> l.add(a[0]);
        case INSERT -> l.add((Integer) a[0], a[1]);
        case SET_AT -> l.set((Integer) a[0], a[1]);
        case REMOVE_AT -> l.remove((int) (Integer) a[0]);
        case CLEAR -> l.clear();
        default -> {
          return false;
        }
      }
    } else if (x instanceof QueueObject q) {
      switch (op) {
        case APPEND -> q.restoreAppend(a[0]);
        case PREPEND -> q.restorePrepend(castList(a[0]));
        case REMOVE_FIRST -> q.restoreRemoveFirst((Integer) a[0]);
        case CLEAR -> q.clear();
        case UNFINISHED -> ((JoinableQueueObject) q).restoreUnfinished((Long) a[0]);
        default -> {
          return false;
        }
      }
    } else if (x instanceof CounterObject c && op == Op.SET) {
      c.set((Long) a[0]);
    } else if (x instanceof ValueObject v && op == Op.SET) {
      v.set(a[0]);
    } else if (x instanceof LongArrayObject arr && op == Op.SET_AT) {
      arr.set((Integer) a[0], (long) (Long) a[1]);
    } else if (x instanceof LongArrayObject arr && op == Op.SET_RANGE) {
      arr.set((Integer) a[0], (long[]) a[1]);
    } else if (x instanceof DoubleArrayObject arr && op == Op.SET_AT) {
      arr.set((Integer) a[0], (double) (Double) a[1]);
    } else if (x instanceof DoubleArrayObject arr && op == Op.SET_RANGE) {
      arr.set((Integer) a[0], (double[]) a[1]);
    } else if (x instanceof NamespaceObject ns && op == Op.PUT) {
      ns.set((String) a[0], a[1]);
    } else if (x instanceof NamespaceObject ns && op == Op.REMOVE) {
      ns.delete((String) a[0]);
    } else if (x instanceof CacheObject c) {
      switch (op) {
        case CACHE_PUT -> c.restore(a[0], a[1], (Long) a[2]);
        case REMOVE -> c.invalidate(a[0]);
        case CLEAR -> c.invalidateAll();
        default -> {
          return false;
        }
      }
    } else if (x instanceof DurableState d && op == Op.STATE) {
      d.restoreState(a[0]);
    } else {
      return false;
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castList(Object o) {
    return (List<Object>) o;
  }

  /** Receives the records of a snapshot: each {@code [Op, operands...]}, with the seq it is stamped with. */
  interface SnapshotSink {
    void accept(long seq, Object[] effect);
  }

  /**
   * The records that rebuild {@code o}, stamped with the journal's seq {@code S} read inside the
   * object's monitor (so no effect of it is half done at {@code S}). A list's or queue's state is
   * copied inside that monitor too: their records (append, remove the head) are not idempotent, so
   * the snapshot must be exactly the state at {@code S}. A dict's and a cache's entries are read
   * after it, without a lock (a million entries take a fraction of a second, during which the
   * object's calls go on): their records are the resulting entries, so an entry read later than
   * {@code S} is corrected by the records after {@code S}, which replay applies after the snapshot
   * (a key changed after {@code S} has its last state in them; a key not changed has the value it
   * had at {@code S}).
   */
  static void capture(Store.Live o, Journal j, SnapshotSink out) {
    Object x = o.instance();
    long seq;
    Object state = null;
    synchronized (x) {
      seq = j.lastSeq();
      if (!(x instanceof DictObject) && !(x instanceof CacheObject)) {
        state = state(x);
      }
    }
    out.accept(seq, new Object[] {Op.CREATE, o.typeid(), o.name(), o.params()});
    if (x instanceof DictObject d) {
      d.forEachEntry((k, v) -> out.accept(seq, new Object[] {Op.PUT, k, v}));
    } else if (x instanceof CacheObject c) {
      for (Object[] kv : c.durableEntries()) {
        out.accept(seq, new Object[] {Op.CACHE_PUT, kv[0], kv[1], kv[2]});
      }
    } else if (x instanceof NamespaceObject) {
      ((Map<?, ?>) state).forEach((k, v) -> out.accept(seq, new Object[] {Op.PUT, k, v}));
    } else if (x instanceof ListObject) {
      ((List<?>) state).forEach(e -> out.accept(seq, new Object[] {Op.APPEND, e}));
    } else if (x instanceof QueueObject) {
      List<?> s = (List<?>) state;
      ((List<?>) s.get(0)).forEach(e -> out.accept(seq, new Object[] {Op.APPEND, e}));
      if (x instanceof JoinableQueueObject) {
        out.accept(seq, new Object[] {Op.UNFINISHED, s.get(1)});
      }
    } else if (x instanceof CounterObject || x instanceof ValueObject) {
      out.accept(seq, new Object[] {Op.SET, ((Object[]) state)[0]});
    } else if (x instanceof LongArrayObject || x instanceof DoubleArrayObject) {
      ranges(seq, out, state);
    } else if (x instanceof DurableState) {
      out.accept(seq, new Object[] {Op.STATE, ((Object[]) state)[0]});
    }
  }

  /** A copy of {@code x}'s durable state (inside its monitor), or null if only its existence is. */
  private static Object state(Object x) {
    if (x instanceof NamespaceObject ns) {
      return ns.asMap();
    } else if (x instanceof ListObject l) {
      return l.copy();
    } else if (x instanceof JoinableQueueObject q) {
      return List.of(q.copy(), q.unfinished());
    } else if (x instanceof QueueObject q) {
      return List.of(q.copy());
    } else if (x instanceof CounterObject c) {
      return new Object[] {c.get()};
    } else if (x instanceof ValueObject v) {
      return new Object[] {v.get()};
    } else if (x instanceof LongArrayObject a) {
      return a.toArray();
    } else if (x instanceof DoubleArrayObject a) {
      return a.toArray();
    } else if (x instanceof DurableState d) {
      return new Object[] {d.journalState()};
    }
    return null;
  }

  private static void ranges(long seq, SnapshotSink out, Object array) {
    int n = java.lang.reflect.Array.getLength(array);
    for (int from = 0; from < n; from += RANGE_CHUNK) {
      int to = Math.min(n, from + RANGE_CHUNK);
      Object chunk = array instanceof long[] l ? Arrays.copyOfRange(l, from, to) : Arrays.copyOfRange((double[]) array, from, to);
      out.accept(seq, new Object[] {Op.SET_RANGE, from, chunk});
    }
  }
}
