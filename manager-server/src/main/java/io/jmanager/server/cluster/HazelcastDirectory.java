package io.jmanager.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryRemovedListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** The {@link ObjectDirectory} in an {@code IMap} of name to codec bytes of [typeid, params...]. */
final class HazelcastDirectory implements ObjectDirectory {
  private final IMap<String, byte[]> map;
  private final ValueCodec codec;

  HazelcastDirectory(ClusterNode node) {
    this.map = node.directory();
    this.codec = node.codec();
  }

  @Override
  public Entry claim(String name, String typeid, Object[] params) {
    List<Object> record = new ArrayList<>();
    record.add(typeid);
    record.addAll(Arrays.asList(params));
    byte[] existing = map.putIfAbsent(name, codec.encode(record));
    return existing == null ? new Entry(typeid, params.clone(), true) : entry(existing);
  }

  @Override
  public Entry lookup(String name) {
    byte[] b = map.get(name);
    return b == null ? null : entry(b);
  }

  private Entry entry(byte[] bytes) {
    List<?> record = (List<?>) codec.decode(bytes);
    return new Entry((String) record.get(0), record.subList(1, record.size()).toArray(), false);
  }

  @Override
  public void remove(String name) {
    map.delete(name);
  }

  @Override
  public void onRemoved(Consumer<String> listener) {
    map.addEntryListener((EntryRemovedListener<String, byte[]>) (EntryEvent<String, byte[]> e) -> listener.accept(e.getKey()),
        false);
  }

  @Override
  public java.util.Map<String, Entry> ofTypes(java.util.Set<String> typeids) {
    java.util.Map<String, Entry> out = new java.util.TreeMap<>();
    map.forEach((name, bytes) -> {
      Entry e = entry(bytes);
      if (typeids.contains(e.typeid())) {
        out.put(name, e);
      }
    });
    return out;
  }

  @Override
  public java.util.Set<String> names() {
    return new java.util.TreeSet<>(map.keySet());
  }

  @Override
  public void onAdded(java.util.function.BiConsumer<String, Entry> listener) {
    map.addEntryListener((com.hazelcast.map.listener.EntryAddedListener<String, byte[]>) e -> listener.accept(e.getKey(),
        entry(e.getValue())), true);
  }
}
