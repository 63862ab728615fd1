package io.jmanager.server.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.collection.ItemEvent;
import com.hazelcast.collection.ItemListener;
import com.hazelcast.config.QueueConfig;
import io.jmanager.server.types.CallContext;
import io.jmanager.server.types.Described;
import io.jmanager.server.types.HandsOver;
import io.jmanager.server.types.ItemSource;
import io.jmanager.server.types.Pending;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A queue in cluster mode: an {@code IQueue} of item bytes, backed up by Hazelcast. A {@code take}
 * (or a {@code put} into a full queue) that cannot finish at once parks on this daemon, costing no
 * thread; an item listener on the queue, and a retry every {@link ClusterNode#RETRY_MILLIS} ms in
 * case an event was missed, serve the parked calls. Takers parked on one daemon are served in
 * the order they came; across daemons, whichever polls first gets the item (Hazelcast keeps the
 * queue's order, not its takers'). Items a client never confirmed go back to the tail.
 */
public class ClusterQueue implements ClusterObject, Described, ItemSource, ClusterNode.Parking {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterQueue.class);
  private record Putter(Pending pending, byte[] item, Object answer) {}

  protected final ClusterNode node;
  protected final IQueue<byte[]> queue;
  protected final ValueCodec codec;
  private final int capacity;
  private final ArrayDeque<Pending> takers = new ArrayDeque<>();
  private final ArrayDeque<Putter> putters = new ArrayDeque<>();
  private final ArrayDeque<Pending> watchers = new ArrayDeque<>();
  private final ServePasses passes;
  private UUID listener; // guarded by this

  /** The queue {@code name} of {@code node}'s cluster, holding at most {@code capacity} items. */
  public ClusterQueue(ClusterNode node, String name, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("queue capacity must be positive, got " + capacity);
    }
    this.node = node;
    this.codec = node.codec();
    this.capacity = capacity;
    String structure = ClusterNode.structure(name);
    QueueConfig existing = node.hazelcast().getConfig().getQueueConfigs().get(structure);
    node.requireSameConfig(existing == null ? null : existing.getMaxSize(), capacity, "queue '" + name + "'", "capacity");
    if (capacity != Integer.MAX_VALUE && existing == null) {
      node.hazelcast().getConfig().addQueueConfig(new QueueConfig(structure).setMaxSize(capacity));
    }
    this.queue = node.hazelcast().getQueue(structure);
    this.passes = new ServePasses(node.calls(), this::serveParked, () -> "queue " + name);
  }

  private byte[] item(Object e) {
    return codec.encode(Objects.requireNonNull(e, "queue elements must not be null"));
  }

  // ---- inserting

  /** Adds {@code e}; {@return true} @throws IllegalStateException if the queue is full */
  public boolean add(Object e) {
    if (!offer(e)) {
      throw new IllegalStateException("Queue full (capacity " + capacity + ")");
    }
    return true;
  }

  /** {@return whether {@code e} was added (false: the queue is full)} */
  public boolean offer(Object e) {
    return offerItem(item(e));
  }

  /** Adds an item at the tail; {@return false if the queue is full} A joinable queue counts the task. */
  protected boolean offerItem(byte[] item) {
    return queue.offer(item);
  }

  /** Takes back an item {@link #offerItem} added for a call that gave up meanwhile. */
  protected void withdrawItem(byte[] item) {
    queue.remove(item);
  }

  /** Adds {@code e}, parking the call while the queue is full; {@return null, or the parked call} */
  public Object put(CallContext ctx, Object e) {
    byte[] b = item(e);
    return offerItem(b) ? null : parkPutter(ctx, b, null);
  }

  /** As {@link #put}, for at most {@code timeout}; {@return whether it was added, or the parked call} */
  public Object offer(CallContext ctx, Object e, long timeout, TimeUnit unit) {
    byte[] b = item(e);
    return offerItem(b) ? Boolean.TRUE : parkPutter(ctx, b, Boolean.TRUE).timeoutAfter(unit.toNanos(timeout), false);
  }

  /** {@return true if every item of {@code c} was added} @throws IllegalStateException if the queue fills */
  public boolean addAll(Collection<?> c) {
    if (c.isEmpty()) {
      return false;
    }
    for (Object e : c) {
      add(e);
    }
    return true;
  }

  // ---- removing

  /** {@return the head, removed, or null} */
  @HandsOver
  public Object poll() {
    return decoded(queue.poll());
  }

  /** {@return the head, removed, or the parked call that gets the next one} */
  @HandsOver
  public Object take(CallContext ctx) {
    Object e = poll();
    return e != null ? e : parkTaker(ctx);
  }

  /** {@return the head, removed, or the call parked for at most {@code timeout} (null then)} */
  @HandsOver
  public Object poll(CallContext ctx, long timeout, TimeUnit unit) {
    Object e = poll();
    return e != null ? e : parkTaker(ctx).timeoutAfter(unit.toNanos(timeout), null);
  }

  /** {@return the head, removed} @throws NoSuchElementException if the queue is empty */
  @HandsOver
  public Object remove() {
    Object e = poll();
    if (e == null) {
      throw new NoSuchElementException("queue is empty");
    }
    return e;
  }

  /** {@return up to {@code maxElements} items from the head, removed} */
  @HandsOver(list = true)
  public List<Object> drain(int maxElements) {
    List<byte[]> drained = new ArrayList<>();
    if (maxElements > 0) {
      queue.drainTo(drained, maxElements);
    }
    List<Object> out = new ArrayList<>(drained.size());
    drained.forEach(b -> out.add(codec.decode(b)));
    return out;
  }

  /** {@return the head, or null} */
  public Object peek() {
    return decoded(queue.peek());
  }

  /** {@return the head} @throws NoSuchElementException if the queue is empty */
  public Object element() {
    Object e = peek();
    if (e == null) {
      throw new NoSuchElementException("queue is empty");
    }
    return e;
  }

  /** {@return whether an item equal (as bytes) to {@code o} was removed} */
  public boolean remove(Object o) {
    return o != null && queue.remove(codec.encode(o));
  }

  /** {@return whether items equal (as bytes) to some of {@code c} were removed} */
  public boolean removeAll(Collection<?> c) {
    return queue.removeAll(encoded(c));
  }

  /** {@return whether items not in {@code c} (as bytes) were removed} */
  public boolean retainAll(Collection<?> c) {
    return queue.retainAll(encoded(c));
  }

  /** Removes every item. */
  public void clear() {
    queue.clear();
  }

  /**
   * Waits until the queue has an item, for at most {@code timeoutNanos}; {@return true, or the
   * parked call (false at the timeout)}
   */
  public Object awaitNotEmpty(CallContext ctx, long timeoutNanos) {
    if (!queue.isEmpty()) {
      return true;
    }
    Pending p = ctx.park();
    synchronized (this) {
      watchers.add(p);
      listen();
    }
    p.onAbandon(() -> {
      synchronized (this) {
        watchers.remove(p);
      }
    });
    requestServe();
    return p.timeoutAfter(timeoutNanos, false);
  }

  // ---- reading

  /** {@return the number of items} */
  public int size() {
    return queue.size();
  }

  /** {@return whether the queue has no item} */
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** {@return how many more items fit} */
  public int remainingCapacity() {
    return queue.remainingCapacity();
  }

  /** {@return whether an item equals (as bytes) {@code o}} */
  public boolean contains(Object o) {
    return o != null && queue.contains(codec.encode(o));
  }

  /** {@return whether every item of {@code c} is in the queue (as bytes)} */
  public boolean containsAll(Collection<?> c) {
    for (Object o : c) {
      if (o == null) {
        return false; // the queue holds no null
      }
    }
    return queue.containsAll(encoded(c));
  }

  /** {@return a copy of the items, head first} */
  public ArrayList<Object> copy() {
    ArrayList<Object> out = new ArrayList<>();
    queue.forEach(b -> out.add(codec.decode(b)));
    return out;
  }

  /**
   * Items a client never confirmed: back to the queue (its tail: an IQueue has no head to add at),
   * on the cluster's threads, as a session's end calls this on its event loop.
   */
  @Override
  public void giveBack(List<Object> items) {
    List<byte[]> encoded = new ArrayList<>(items.size());
    items.forEach(e -> encoded.add(codec.encode(e)));
    node.calls().execute(() -> {
      for (byte[] b : encoded) {
        if (!queue.offer(b)) {
          log.warn("an item a lost client never confirmed could not go back to the full queue {}: dropped",
              queue.getName());
        }
      }
    });
  }

  // ---- parked calls

  private Pending parkTaker(CallContext ctx) {
    Pending p = ctx.park();
    synchronized (this) {
      takers.add(p);
      listen();
    }
    p.onAbandon(() -> {
      synchronized (this) {
        takers.remove(p);
      }
    });
    requestServe(); // an item may have come between the poll and the parking
    return p;
  }

  private Pending parkPutter(CallContext ctx, byte[] item, Object answer) {
    Putter w = new Putter(ctx.park(), item, answer);
    synchronized (this) {
      putters.add(w);
      listen();
    }
    w.pending.onAbandon(() -> {
      synchronized (this) {
        putters.remove(w);
      }
    });
    requestServe();
    return w.pending;
  }

  /** Listens for the queue's items, from the first parked call on (and checks in every retry). */
  protected final void listen() {
    if (listener == null) {
      listener = queue.addItemListener(new ItemListener<>() {
        @Override
        public void itemAdded(ItemEvent<byte[]> event) {
          requestServe();
        }

        @Override
        public void itemRemoved(ItemEvent<byte[]> event) {
          requestServe();
        }
      }, false);
      node.retryWhileWaiting(this);
    }
  }

  /** Whether calls are parked here: the node retries {@link #serveParked()} while so. */
  @Override
  public synchronized boolean hasParked() {
    return !takers.isEmpty() || !putters.isEmpty() || !watchers.isEmpty() || hasOtherParked();
  }

  /** {@return whether calls of a subclass's own kind are parked} (called holding this) */
  protected boolean hasOtherParked() {
    return false;
  }

  /** Serves the parked calls of a subclass's own kind, on the cluster's threads. */
  protected void serveOther() {}

  /** Serves the parked calls on the cluster's threads, one pass at a time per queue. */
  @Override
  public void requestServe() {
    passes.request();
  }

  private void serveParked() {
    if (!hasParked()) {
      return;
    }
    while (true) { // takers, in the order they came, while there are items
      Pending t;
      synchronized (this) {
        while ((t = takers.peek()) != null && !t.isWaiting()) {
          takers.poll();
        }
      }
      if (t == null) {
        break;
      }
      byte[] b = queue.poll();
      if (b == null) {
        break;
      }
      synchronized (this) {
        takers.remove(t);
      }
      if (!t.complete(codec.decode(b))) {
        queue.offer(b); // it gave up meanwhile: the item goes back (to the tail)
      }
    }
    while (true) { // putters, in the order they came, while there is room
      Putter w;
      synchronized (this) {
        while ((w = putters.peek()) != null && !w.pending.isWaiting()) {
          putters.poll();
        }
      }
      if (w == null || !offerItem(w.item)) {
        break;
      }
      synchronized (this) {
        putters.remove(w);
      }
      if (!w.pending.complete(w.answer)) {
        withdrawItem(w.item); // it gave up meanwhile: take its item out again
      }
    }
    List<Pending> woken = new ArrayList<>();
    synchronized (this) {
      if (!watchers.isEmpty() && !queue.isEmpty()) {
        woken.addAll(watchers);
        watchers.clear();
      }
    }
    woken.forEach(p -> p.complete(true));
    serveOther();
  }

  private Object decoded(byte[] b) {
    return b == null ? null : codec.decode(b);
  }

  private List<byte[]> encoded(Collection<?> c) {
    List<byte[]> out = new ArrayList<>(c.size());
    for (Object o : c) {
      if (o != null) {
        out.add(codec.encode(o));
      }
    }
    return out;
  }

  @Override
  public long statusSize() {
    return queue.size();
  }

  @Override
  public synchronized String statusDetails() {
    String cap = capacity == Integer.MAX_VALUE ? "unbounded" : "capacity " + capacity;
    return cap + ", " + takers.size() + " takers and " + putters.size() + " putters waiting on this daemon";
  }

  @Override
  public void destroy() {
    node.forget(queue.getName(), this);
    queue.destroy();
  }
}
