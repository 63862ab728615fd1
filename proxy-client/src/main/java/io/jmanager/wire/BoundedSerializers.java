package io.jmanager.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Kryo's container serializers with one change: each claims the elements it is about to read from
 * the {@link FrameInput} before it allocates anything for them. The wire format is Kryo's own, so
 * either side may run either version.
 */
final class BoundedSerializers {
  private BoundedSerializers() {}

  /** Before any class is registered: the defaults that registrations and unregistered classes use. */
  static void addDefaults(Kryo kryo) {
    // most specific first: Kryo takes the first default whose type is assignable
    kryo.addDefaultSerializer(TreeSet.class, factory((k, t) -> new TreeSets()));
    kryo.addDefaultSerializer(PriorityQueue.class, factory((k, t) -> new PriorityQueues()));
    kryo.addDefaultSerializer(ConcurrentSkipListMap.class, factory((k, t) -> new SkipListMaps()));
    kryo.addDefaultSerializer(TreeMap.class, factory((k, t) -> new TreeMaps()));
    kryo.addDefaultSerializer(Collection.class, factory((k, t) -> new PlainCollections()));
    kryo.addDefaultSerializer(Map.class, factory((k, t) -> new PlainMaps()));
    kryo.addDefaultSerializer(boolean[].class, factory((k, t) -> new BooleanArrays()));
    kryo.addDefaultSerializer(String[].class, factory((k, t) -> new StringArrays()));
    kryo.addDefaultSerializer(Object[].class, factory(ObjectArrays::new));
  }

  /**
   * After Kryo's {@code ImmutableCollectionsSerializers.registerSerializers} gave the {@code
   * List.of}/{@code Set.of}/{@code Map.of} classes their ids: the same ids, bounded readers.
   */
  static void replaceImmutables(Kryo kryo) {
    ImmutableLists lists = new ImmutableLists();
    for (Class<?> c : List.of(List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3, 4).getClass(),
        List.of(1, 2, 3, 4).subList(0, 2).getClass())) {
      kryo.register(c, lists);
    }
    ImmutableSets sets = new ImmutableSets();
    for (Class<?> c : List.of(Set.of().getClass(), Set.of(1).getClass(), Set.of(1, 2, 3, 4).getClass())) {
      kryo.register(c, sets);
    }
    ImmutableMaps maps = new ImmutableMaps();
    for (Class<?> c : List.of(Map.of().getClass(), Map.of(1, 2).getClass(), Map.of(1, 2, 3, 4).getClass())) {
      kryo.register(c, maps);
    }
  }

  @SuppressWarnings("rawtypes")
  private static SerializerFactory<Serializer> factory(java.util.function.BiFunction<Kryo, Class, Serializer> make) {
    return new SerializerFactory.BaseSerializerFactory<>() {
      @Override
      public Serializer newSerializer(Kryo kryo, Class type) {
        return make.apply(kryo, type);
      }
    };
  }

  /** Hash sets of at least this many elements are checked for colliding elements before they are built. */
  static final int CHECK_SPREAD_FROM = 512;
  /** More non-{@code Comparable} elements than this sharing one hash code make a set unsafe to hash. */
  static final int MAX_SHARED_HASH = 64;

  private static boolean hashed(Class<?> type) {
    return type == HashMap.class || type == java.util.LinkedHashMap.class
        || type == java.util.concurrent.ConcurrentHashMap.class || type == java.util.HashSet.class
        || type == LinkedHashSet.class;
  }

  /**
   * Refuses {@code keys} (about to go into a hash table) if too many share one hash code and
   * cannot be ordered instead: a {@code HashMap} of 50,000 such keys costs minutes of CPU
   * (quadratic), and a peer may send them on purpose. Linear in the keys; for small sets a no-op.
   */
  static void checkHashSpread(List<?> keys, boolean comparableHelps) {
    int n = keys.size();
    if (n < CHECK_SPREAD_FROM) {
      return;
    }
    int[] hashes = new int[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = java.util.Objects.hashCode(keys.get(i));
    }
    int[] sorted = hashes.clone();
    java.util.Arrays.sort(sorted);
    int worst = 1;
    int worstHash = sorted[0];
    for (int i = 1, run = 1; i < n; i++) {
      run = sorted[i] == sorted[i - 1] ? run + 1 : 1;
      if (run > worst) {
        worst = run;
        worstHash = sorted[i];
      }
    }
    if (worst <= MAX_SHARED_HASH) {
      return;
    }
    Class<?> sameClass = null;
    boolean ordered = comparableHelps;
    for (int i = 0; i < n && ordered; i++) {
      if (hashes[i] == worstHash) {
        Object k = keys.get(i);
        ordered = k instanceof Comparable && (sameClass == null || k.getClass() == sameClass);
        sameClass = k == null ? null : k.getClass();
      }
    }
    if (!ordered) {
      throw new LengthLimitException(worst + " of " + n + " keys (or set elements) share the hash code " + worstHash
          + " and cannot be ordered: a hash table of them costs quadratic time, so it is refused."
          + " Keys need a hashCode that spreads");
    }
  }

  /** Elements read for a large hash set, kept in order until they are checked. */
  @SuppressWarnings("serial")
  private static final class Staged extends ArrayList<Object> {
    Staged(int size) {
      super(size);
    }
  }

  /** Entries read for a large hash map, kept in order until their keys are checked. */
  private static final class StagedMap extends java.util.AbstractMap<Object, Object> {
    final List<Object> keys;
    final List<Object> values;

    StagedMap(int size) {
      keys = new ArrayList<>(size);
      values = new ArrayList<>(size);
    }

    @Override
    public Object put(Object key, Object value) {
      keys.add(key);
      values.add(value);
      return null;
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
      throw new UnsupportedOperationException("staging only");
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class PlainCollections extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      FrameInput.claim(input, size);
      if (size >= CHECK_SPREAD_FROM && hashed(type)) {
        return new Staged(size);
      }
      return super.create(kryo, input, type, size);
    }

    @Override
    public Collection read(Kryo kryo, Input input, Class<? extends Collection> type) {
      Collection c = super.read(kryo, input, type);
      if (c instanceof Staged staged) {
        checkHashSpread(staged, true);
        Collection set = super.create(kryo, input, type, staged.size());
        set.addAll(staged);
        return set;
      }
      return c;
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class PlainMaps extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      FrameInput.claim(input, size);
      if (size >= CHECK_SPREAD_FROM && hashed(type)) {
        return new StagedMap(size);
      }
      return super.create(kryo, input, type, size);
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      Map m = super.read(kryo, input, type);
      if (m instanceof StagedMap staged) {
        checkHashSpread(staged.keys, true);
        Map map = super.create(kryo, input, type, staged.keys.size());
        for (int i = 0; i < staged.keys.size(); i++) {
          map.put(staged.keys.get(i), staged.values.get(i));
        }
        return map;
      }
      return m;
    }
  }

  static final class TreeSets extends DefaultSerializers.TreeSetSerializer {
    @Override
    protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  static final class PriorityQueues extends DefaultSerializers.PriorityQueueSerializer {
    @Override
    protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  static final class TreeMaps extends DefaultSerializers.TreeMapSerializer {
    @Override
    protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  static final class SkipListMaps extends DefaultSerializers.ConcurrentSkipListMapSerializer {
    @Override
    protected ConcurrentSkipListMap create(
        Kryo kryo, Input input, Class<? extends ConcurrentSkipListMap> type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  /** {@code Arrays.asList}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class ArraysAsLists extends DefaultSerializers.ArraysAsListSerializer {
    @Override
    protected List create(Kryo kryo, Input input, Class type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  static final class ObjectArrays extends DefaultArraySerializers.ObjectArraySerializer {
    @SuppressWarnings("rawtypes")
    ObjectArrays(Kryo kryo, Class type) {
      super(kryo, type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object[] read(Kryo kryo, Input input, Class type) {
      FrameInput.claimPrefixed(input);
      return super.read(kryo, input, type);
    }
  }

  static final class StringArrays extends DefaultArraySerializers.StringArraySerializer {
    @Override
    @SuppressWarnings("rawtypes")
    public String[] read(Kryo kryo, Input input, Class type) {
      FrameInput.claimPrefixed(input);
      return super.read(kryo, input, type);
    }
  }

  static final class BooleanArrays extends DefaultArraySerializers.BooleanArraySerializer {
    @Override
    @SuppressWarnings("rawtypes")
    public boolean[] read(Kryo kryo, Input input, Class type) {
      FrameInput.claimPrefixed(input);
      return super.read(kryo, input, type);
    }
  }

  /**
   * {@code List.of(...)}: Kryo's format (a collection whose elements are never null), read into a
   * claimed list and copied.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class ImmutableLists extends CollectionSerializer<List> {
    ImmutableLists() {
      setElementsCanBeNull(false);
    }

    @Override
    protected List create(Kryo kryo, Input input, Class<? extends List> type, int size) {
      FrameInput.claim(input, size);
      return new ArrayList<>(size);
    }

    @Override
    public List read(Kryo kryo, Input input, Class<? extends List> type) {
      List list = super.read(kryo, input, type);
      return list == null ? null : List.of(list.toArray());
    }

    /** The same format, read into a mutable list. */
    static final class Elements extends CollectionSerializer<List> {
      Elements() {
        setElementsCanBeNull(false);
      }

      @Override
      protected List create(Kryo kryo, Input input, Class<? extends List> type, int size) {
        FrameInput.claim(input, size);
        return new ArrayList<>(size);
      }
    }
  }

  /** Reads a {@code Set.of} set's elements (same format as {@code List.of}) into a list. */
  private static final ImmutableLists.Elements ELEMENTS = new ImmutableLists.Elements();

  /** {@code Set.of(...)}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class ImmutableSets extends CollectionSerializer<Set> {
    ImmutableSets() {
      setElementsCanBeNull(false);
    }

    @Override
    protected Set create(Kryo kryo, Input input, Class<? extends Set> type, int size) {
      throw new AssertionError("read by readElements");
    }

    @Override
    public Set read(Kryo kryo, Input input, Class<? extends Set> type) {
      List elements = ELEMENTS.read(kryo, input, (Class) ArrayList.class);
      if (elements == null) {
        return null;
      }
      checkHashSpread(elements, false); // Set.copyOf probes by hash code: ordering does not help
      return Set.copyOf(elements);
    }
  }

  /** {@code Map.of(...)}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class ImmutableMaps extends MapSerializer<Map> {
    ImmutableMaps() {
      setKeysCanBeNull(false);
      setValuesCanBeNull(false);
    }

    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      FrameInput.claim(input, size);
      return new StagedMap(size);
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      StagedMap staged = (StagedMap) super.read(kryo, input, type);
      if (staged == null) {
        return null;
      }
      checkHashSpread(staged.keys, false); // Map.copyOf probes by hash code: ordering does not help
      Map.Entry[] entries = new Map.Entry[staged.keys.size()];
      for (int i = 0; i < entries.length; i++) {
        entries[i] = Map.entry(staged.keys.get(i), staged.values.get(i));
      }
      return Map.ofEntries(entries);
    }
  }
}
