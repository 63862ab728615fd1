package io.jmanager.server;

import io.jmanager.client.ServerInfo;
import io.jmanager.common.ManagerService;
import io.jmanager.server.journal.Effects;
import io.jmanager.server.journal.Journal;
import io.jmanager.server.journal.Store;
import io.jmanager.server.types.Described;
import io.jmanager.server.types.SessionAware;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names ↔ ids ↔ objects. Binding (get-or-create by name) and deletion are serialized on the
 * registry; lookups by id, the hot path of every call, are a concurrent map read. A deleted
 * object's id stays known as deleted, so a late call through an old proxy gets a clear error.
 */
final class ObjectRegistry implements Store {
  /** One named object. */
  final class Entry {
    final int id;
    final String name;
    final TypeSpec spec;
    final List<Object> fixedParams;
    /** The parameters it was created with (the journal recreates it from them). */
    final Object[] params;
    final Object instance;
    /** Runs this object's calls one at a time off the event loops: a user type's always, others when slow. */
    final java.util.concurrent.Executor serial;
    /** Calls of this object queued on or running in {@link #serial}: later ones queue behind them. */
    final java.util.concurrent.atomic.AtomicInteger offloaded = new java.util.concurrent.atomic.AtomicInteger();
    /** Until this {@code System.nanoTime()}, the object is served off the event loops (a call was slow). */
    volatile long slowUntil = System.nanoTime() - 1;
    /** This object's calls in the current cost window: start, time spent, count (racy updates are fine: hints). */
    long windowStart;
    long windowNanos;
    int windowCalls;
    volatile boolean deleted;

    Entry(int id, String name, TypeSpec spec, List<Object> fixedParams, Object[] params, Object instance) {
      this.id = id;
      this.params = params;
      this.name = name;
      this.spec = spec;
      this.fixedParams = fixedParams;
      this.instance = instance;
      this.serial = userPool != null ? new SerialExecutor(userPool) : null;
    }

    String describe() {
      return spec.typeid() + " '" + name + "'";
    }
  }

  static final int SERVICE_ID = 0;

  private final Types types;
  private final java.util.concurrent.Executor userPool;
  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  /** Indexed by object id; replaced (copy-on-grow) under the registry's lock, read without one. */
  private volatile Entry[] byId = new Entry[64];
  private final TypeSpec serviceSpec;
  private int nextId = SERVICE_ID + 1;
  /** Null: no journal (or not yet: during replay). */
  private volatile Journal journal;

  /** The cluster's directory of objects, or null: not in cluster mode. */
  private final io.jmanager.server.cluster.ObjectDirectory directory;

  ObjectRegistry(Types types, ManagerService service, java.util.concurrent.Executor userPool) {
    this(types, service, userPool, null);
  }

  ObjectRegistry(Types types, ManagerService service, java.util.concurrent.Executor userPool,
      io.jmanager.server.cluster.ObjectDirectory directory) {
    this.directory = directory;
    this.types = types;
    this.userPool = userPool;
    this.serviceSpec =
        new TypeSpec(ManagerService.TYPEID, ManagerService.class, service.getClass(), (n, p) -> service, p -> List.of());
    byId[SERVICE_ID] = new Entry(SERVICE_ID, ManagerService.TYPEID, serviceSpec, List.of(), new Object[0], service);
  }

  /**
   * Finds or creates {@code name}. {@code params == null} only finds (a proxy that arrived as a
   * value binding itself).
   *
   * @throws IllegalArgumentException for an unknown typeid
   * @throws IllegalStateException if the name has another type or other fixed parameters, or the
   *     client's interface does not match the daemon's
   */
  synchronized Entry bind(String typeid, String name, Object[] params, int tableHash) {
    TypeSpec spec = ManagerService.TYPEID.equals(typeid) ? serviceSpec : types.get(typeid);
    if (spec == null) {
      String refusal = types.refusal(typeid);
      if (refusal != null) {
        throw new UnsupportedOperationException(refusal);
      }
      throw new IllegalArgumentException("unknown type '" + typeid + "'; the daemon knows: " + types.known());
    }
    if (spec.table().hash() != tableHash) {
      throw new IllegalStateException(
          "the proxy interface for type '" + typeid + "' does not match the daemon's "
              + spec.iface().getName() + " (method tables differ): same jmanager version and interface on both sides?");
    }
    if (spec == serviceSpec) {
      return byId[SERVICE_ID];
    }
    Entry existing = byName.get(name);
    if (existing != null) {
      if (existing.spec != spec) {
        throw new IllegalStateException(
            "'" + name + "' is a " + existing.spec.typeid() + ", asked for as a " + typeid);
      }
      List<Object> fixed = params == null ? null : spec.fixedParams(params);
      if (fixed != null && !Objects.equals(fixed, existing.fixedParams)) {
        throw new IllegalStateException(
            existing.describe() + " exists with " + spec.describe(existing.fixedParams) + ", asked for "
                + spec.describe(fixed));
      }
      return existing;
    }
    if (directory != null) {
      return bindInCluster(spec, name, params);
    }
    if (params == null) {
      throw new NoSuchElementException(typeid + " '" + name + "' does not exist (deleted?)");
    }
    Entry e = create(nextId++, spec, name, params);
    if (journal != null) {
      journal.created(e.id, typeid, name, params);
      Effects.attach(e.instance, e.id, journal);
    }
    return e;
  }

  /**
   * Binds {@code name} as the cluster's directory has it (creating its entry if {@code params} are
   * given and it has none): the same type and fixed parameters on every daemon.
   */
  private Entry bindInCluster(TypeSpec spec, String name, Object[] params) {
    String typeid = spec.typeid();
    io.jmanager.server.cluster.ObjectDirectory.Entry found =
        params == null ? directory.lookup(name) : directory.claim(name, typeid, params);
    if (found == null) {
      throw new NoSuchElementException(typeid + " '" + name + "' does not exist in the cluster (deleted?)");
    }
    if (!found.typeid().equals(typeid)) {
      throw new IllegalStateException("'" + name + "' is a " + found.typeid() + ", asked for as a " + typeid);
    }
    List<Object> fixed = params == null ? null : spec.fixedParams(params);
    List<Object> existing = spec.fixedParams(found.params());
    if (fixed != null && !Objects.equals(fixed, existing)) {
      throw new IllegalStateException(typeid + " '" + name + "' exists with " + spec.describe(existing)
          + ", asked for " + spec.describe(fixed));
    }
    Entry e;
    try {
      e = create(nextId++, spec, name, found.params());
    } catch (RuntimeException refused) {
      if (found.created()) {
        directory.remove(name); // its parameters were refused (a cache spec the cluster cannot keep): no such object
      }
      throw refused;
    }
    if (found.created() && e.instance instanceof io.jmanager.server.cluster.ClusterObject object) {
      object.initialize(found.params());
    }
    return e;
  }

  private Entry create(int id, TypeSpec spec, String name, Object[] params) {
    List<Object> fixed = spec.fixedParams(params);
    Entry e = new Entry(id, name, spec, fixed == null ? List.of() : fixed, params.clone(), spec.create(name, params));
    store(e);
    byName.put(name, e);
    return e;
  }

  // ---- the journal's view (replay runs before the daemon serves; the rest is thread-safe)

  /** From now on, creations, deletions and queue movements are journaled. */
  synchronized void attach(Journal j) {
    journal = j;
    byName.values().forEach(e -> Effects.attach(e.instance, e.id, j));
  }

  @Override
  public synchronized void restore(int id, String typeid, String name, Object[] params) {
    TypeSpec spec = types.get(typeid);
    if (spec == null) {
      throw new IllegalArgumentException("the journal holds " + typeid + " '" + name + "', a type this daemon does not"
          + " know (known: " + types.known() + "); register it (types.<typeid>) to start on this journal");
    }
    nextId = Math.max(nextId, id + 1);
    create(id, spec, name, params);
  }

  @Override
  public void delete(int id) {
    Entry e = id > 0 && id < byId.length ? byId[id] : null;
    if (e != null && !e.deleted) {
      delete(e.name);
    }
  }

  @Override
  public Object instance(int id) {
    Entry[] table = byId;
    Entry e = id > 0 && id < table.length ? table[id] : null;
    return e == null || e.deleted ? null : e.instance;
  }

  @Override
  public synchronized int nextId() {
    return nextId;
  }

  @Override
  public synchronized void reserveIds(int id) {
    nextId = Math.max(nextId, id);
  }

  @Override
  public List<Live> live() {
    List<Live> out = new ArrayList<>();
    for (Entry e : byName.values()) {
      out.add(new Live(e.id, e.spec.typeid(), e.name, e.params, e.instance));
    }
    return out;
  }

  private void store(Entry e) {
    Entry[] table = byId;
    if (e.id >= table.length) {
      table = java.util.Arrays.copyOf(table, Math.max(e.id + 1, table.length * 2));
    }
    table[e.id] = e;
    byId = table; // publish (also after an in-place store, for readers' visibility)
  }

  /** The live object with {@code id}, for a call. */
  /** The type {@code typeid}, or null if the daemon has none of that name. */
  TypeSpec spec(String typeid) {
    return types.get(typeid);
  }

  Entry get(int id) {
    Entry[] table = byId;
    Entry e = id >= 0 && id < table.length ? table[id] : null;
    if (e == null) {
      throw new IllegalArgumentException("unknown object id " + id);
    }
    if (e.deleted) {
      throw new IllegalStateException(e.describe() + " was deleted");
    }
    return e;
  }

  /** Whether this daemon has bound {@code name}. */
  boolean exists(String name) {
    return byName.containsKey(name);
  }

  /** Whether {@code name} exists: on this daemon, or (cluster mode) anywhere in the cluster. */
  boolean existsAnywhere(String name) {
    return byName.containsKey(name) || directory != null && directory.lookup(name) != null;
  }

  /**
   * Deletes {@code name}; returns the deleted entry, or null if there was none. In cluster mode it
   * also leaves the cluster's directory and its state is destroyed.
   */
  synchronized Entry delete(String name) {
    if (directory != null) {
      Entry local = byName.get(name);
      io.jmanager.server.cluster.ObjectDirectory.Entry found = local != null ? null : directory.lookup(name);
      directory.remove(name);
      Object instance = local != null ? local.instance
          : found == null || types.get(found.typeid()) == null ? null : types.get(found.typeid()).create(name, found.params());
      if (instance instanceof io.jmanager.server.cluster.ClusterObject object) {
        object.destroy();
      }
    }
    return forget(name);
  }

  /** Drops {@code name} from this daemon only (another daemon deleted it from the cluster). */
  synchronized Entry forget(String name) {
    Entry e = byName.remove(name);
    if (e != null) {
      Entry tombstone = new Entry(e.id, e.name, e.spec, e.fixedParams, null, null); // drops the object
      tombstone.deleted = true;
      store(tombstone);
      e.deleted = true;
      if (journal != null) {
        journal.deleted(e.id);
      }
    }
    return e;
  }

  /** Tells every object that holds per-session state that {@code sessionId} is gone. */
  void sessionClosed(long sessionId) {
    for (Entry e : byName.values()) {
      if (e.instance instanceof SessionAware aware) {
        aware.sessionClosed(sessionId);
      }
    }
  }

  /** The names of the objects: this daemon's, and (cluster mode) every one of the cluster. */
  Set<String> names() {
    TreeSet<String> names = new TreeSet<>(byName.keySet());
    if (directory != null) {
      names.addAll(directory.names());
    }
    return names;
  }

  List<ServerInfo.ObjectInfo> describe() {
    List<ServerInfo.ObjectInfo> out = new ArrayList<>();
    for (Entry e : new TreeMap<>(byName).values()) {
      Described d = e.instance instanceof Described x ? x : null;
      out.add(
          new ServerInfo.ObjectInfo(
              e.name, e.spec.typeid(), d == null ? -1 : d.statusSize(), d == null ? "" : d.statusDetails()));
    }
    return out;
  }

  /** Every holder and waiter of every lock-like object, by object name. */
  List<io.jmanager.server.metrics.DaemonView.PartyRow> parties() {
    List<io.jmanager.server.metrics.DaemonView.PartyRow> out = new ArrayList<>();
    for (Entry e : new TreeMap<>(byName).values()) {
      if (e.instance instanceof Described d) {
        for (Described.Party p : d.statusParties()) {
          out.add(new io.jmanager.server.metrics.DaemonView.PartyRow(e.name, e.spec.typeid(), p.role(),
              p.owner().sessionId(), p.owner().pid(), p.owner().threadId(), p.sinceNanos()));
        }
      }
    }
    return out;
  }

  Map<String, Integer> countByType() {
    Map<String, Integer> counts = new TreeMap<>();
    byName.values().forEach(e -> counts.merge(e.spec.typeid(), 1, Integer::sum));
    return counts;
  }
}
