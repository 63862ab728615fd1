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

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class PlainCollections extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class PlainMaps extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      FrameInput.claim(input, size);
      return super.create(kryo, input, type, size);
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
  }

  /** {@code Set.of(...)}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class ImmutableSets extends CollectionSerializer<Set> {
    ImmutableSets() {
      setElementsCanBeNull(false);
    }

    @Override
    protected Set create(Kryo kryo, Input input, Class<? extends Set> type, int size) {
      FrameInput.claim(input, size);
      return new LinkedHashSet<>();
    }

    @Override
    public Set read(Kryo kryo, Input input, Class<? extends Set> type) {
      Set set = super.read(kryo, input, type);
      return set == null ? null : Set.copyOf(set);
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
      return new HashMap<>();
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      Map map = super.read(kryo, input, type);
      return map == null ? null : Map.copyOf(map);
    }
  }
}
