package io.jmanager.server.types;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The daemon side of {@code SharedQueue}: a FIFO with an optional capacity. {@code take} on an
 * empty queue and {@code put} on a full one park a {@link Pending} in first-come first-served
 * order instead of blocking a thread; an arriving item goes straight to the oldest live taker.
 * Guarded by its own monitor, held only for the length of one operation.
 *
 * <p>The removing methods marked {@link HandsOver} deliver at least once: the daemon gives their
 * items back ({@link #giveBack}) if the taker's connection closes before its client confirmed
 * reading them.
 */
public class QueueObject implements Described, ItemSource {
  /**
   * A parked {@code put} (answer null) or timed {@code offer} (answer true): its item enters the
   * queue when its answer is given.
   */
  private record Putter(Pending pending, Object item, Object answer) {}

  private final int capacity;
  private final ArrayDeque<Object> items = new ArrayDeque<>();
  private final ArrayDeque<Pending> takers = new ArrayDeque<>();
  private final ArrayDeque<Putter> putters = new ArrayDeque<>();
  private final ArrayDeque<Pending> watchers = new ArrayDeque<>();
  /** Where item movements are reported (the daemon's journal); guarded by this monitor. */
  protected QueueEffects effects = QueueEffects.NONE;

  /**
   * Creates an empty queue.
   *
   * @param capacity the most items it holds; {@link Integer#MAX_VALUE} for unbounded
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public QueueObject(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("queue capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * {@return an empty queue without a capacity}
   */
  public static QueueObject unbounded() {
    return new QueueObject(Integer.MAX_VALUE);
  }

  // ---- inserting

  /**
   * Adds {@code e} if there is room, as {@link #offer(Object)}.
   *
   * @param e the item
   * @return true
   * @throws IllegalStateException if the queue is full
   * @throws NullPointerException if {@code e} is null
   */
  public synchronized boolean add(Object e) {
    if (!offer(e)) {
      throw new IllegalStateException("Queue full (capacity " + capacity + ")");
    }
    return true;
  }

  /**
   * Adds {@code e} if there is room: to the oldest live taker if one waits, else to the tail.
   *
   * @param e the item
   * @return whether it was added; false if the queue is full
   * @throws NullPointerException if {@code e} is null
   */
  public synchronized boolean offer(Object e) {
    Objects.requireNonNull(e, "queue elements must not be null");
    if (items.size() >= capacity) {
      return false;
    }
    enqueue(e);
    return true;
  }

  /**
   * Adds {@code e}, parking the call behind earlier putters while the queue is full.
   *
   * @param ctx the call
   * @param e the item
   * @return null (added), or the {@link Pending} of the parked call, answered when the item is in
   * @throws NullPointerException if {@code e} is null
   */
  public synchronized Object put(CallContext ctx, Object e) {
    if (offer(e)) {
      return null;
    }
    return parkPutter(ctx, e, null);
  }

  /**
   * Adds {@code e}, parking the call up to {@code timeout} while the queue is full.
   *
   * @param ctx the call
   * @param e the item
   * @param timeout the longest wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return {@code true} (added), or the {@link Pending} of the parked call (answered true when the
   *     item is in, false on timeout)
   * @throws NullPointerException if {@code e} is null
   */
  public synchronized Object offer(CallContext ctx, Object e, long timeout, TimeUnit unit) {
    long nanos = unit.toNanos(timeout);
    if (offer(e)) {
      return true;
    }
    return parkPutter(ctx, e, Boolean.TRUE).timeoutAfter(nanos, false);
  }

  private Pending parkPutter(CallContext ctx, Object e, Object answer) {
    Putter w = new Putter(ctx.park(), e, answer);
    putters.add(w);
    w.pending.onAbandon(() -> {
      synchronized (this) {
        putters.remove(w);
      }
    });
    return w.pending;
  }

  /** Adds {@code e}: to the oldest live taker if any waits, else to the tail. */
  private void enqueue(Object e) {
    if (!handToTaker(e)) {
      items.add(e);
      effects.added(e);
      wakeWatchers();
    }
    enqueued();
  }

  /** Gives {@code e} to the oldest live taker; false if none waits. */
  private boolean handToTaker(Object e) {
    for (Pending t; (t = takers.poll()) != null; ) {
      if (t.complete(e)) {
        return true;
      }
    }
    return false;
  }

  private void wakeWatchers() {
    for (Pending w; (w = watchers.poll()) != null; ) {
      w.complete(true);
    }
  }

  /**
   * Takes back items a taker never received, oldest first: to parked takers first (a live taker
   * waits only on an empty queue), the rest to the head in their order, ahead of everything put
   * since. They take precedence over the capacity: a bounded queue may hold more than its capacity
   * until takers catch up, and parked putters wait until it is below capacity again (an item
   * already accepted is never refused). They are not new items: a joinable queue counted them when
   * they were first put.
   *
   * @param returned the items, oldest first
   */
  @Override
  public synchronized void giveBack(List<Object> returned) {
    int given = 0;
    while (given < returned.size() && handToTaker(returned.get(given))) {
      given++;
    }
    for (int i = returned.size() - 1; i >= given; i--) {
      items.addFirst(returned.get(i));
    }
    if (given < returned.size()) {
      effects.prepended(returned.subList(given, returned.size()));
      wakeWatchers();
    }
  }

  /**
   * True as soon as an item is waiting (without taking it), false after {@code timeoutNanos}.
   *
   * @param ctx the call
   * @param timeoutNanos the longest wait, in nanoseconds
   * @return {@code true} if an item waits now, else the {@link Pending} of the parked call
   */
  public synchronized Object awaitNotEmpty(CallContext ctx, long timeoutNanos) {
    if (!items.isEmpty()) {
      return true;
    }
    Pending p = ctx.park();
    watchers.add(p);
    p.onAbandon(() -> {
      synchronized (this) {
        watchers.remove(p);
      }
    });
    return p.timeoutAfter(timeoutNanos, false);
  }

  /** A hook for subclasses: one more item was accepted. */
  protected void enqueued() {}

  // ---- removing

  /**
   * Takes the head item without waiting; a parked putter may then come in.
   *
   * @return the item, or null if the queue is empty
   */
  @HandsOver
  public synchronized Object poll() {
    Object e = items.poll();
    if (e != null) {
      effects.removedFirst(1);
      admitPutters();
    }
    return e;
  }

  /**
   * Takes the head item, parking the call behind earlier takers while the queue is empty.
   *
   * @param ctx the call
   * @return the item, or the {@link Pending} of the parked call, answered with the next item
   */
  @HandsOver
  public synchronized Object take(CallContext ctx) {
    Object e = poll();
    return e != null ? e : parkTaker(ctx);
  }

  /**
   * Takes the head item, parking the call up to {@code timeout} while the queue is empty.
   *
   * @param ctx the call
   * @param timeout the longest wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return the item, or the {@link Pending} of the parked call (answered null on timeout)
   */
  @HandsOver
  public synchronized Object poll(CallContext ctx, long timeout, TimeUnit unit) {
    long nanos = unit.toNanos(timeout);
    Object e = poll();
    if (e != null) {
      return e;
    }
    return parkTaker(ctx).timeoutAfter(nanos, null);
  }

  private Pending parkTaker(CallContext ctx) {
    Pending p = ctx.park();
    takers.add(p);
    p.onAbandon(() -> {
      synchronized (this) {
        takers.remove(p);
      }
    });
    return p;
  }

  /** Lets parked putters in, oldest first, while there is room. */
  private void admitPutters() {
    while (items.size() < capacity) {
      Putter w = putters.poll();
      if (w == null) {
        return;
      }
      if (w.pending.complete(w.answer)) {
        enqueue(w.item);
      }
    }
  }

  /**
   * Takes the head item without waiting.
   *
   * @return the item
   * @throws NoSuchElementException if the queue is empty
   */
  @HandsOver
  public synchronized Object remove() {
    Object e = poll();
    if (e == null) {
      throw new NoSuchElementException("queue is empty");
    }
    return e;
  }

  /**
   * {@return the head item, without taking it}
   *
   * @throws NoSuchElementException if the queue is empty
   */
  public synchronized Object element() {
    Object e = items.peek();
    if (e == null) {
      throw new NoSuchElementException("queue is empty");
    }
    return e;
  }

  /**
   * {@return the head item without taking it, or null if the queue is empty}
   */
  public synchronized Object peek() {
    return items.peek();
  }

  /**
   * Takes up to {@code maxElements} items from the head at once, without waiting.
   *
   * @param maxElements the most to take
   * @return the items taken, oldest first; empty if none
   */
  @HandsOver(list = true)
  public synchronized List<Object> drain(int maxElements) {
    List<Object> out = new ArrayList<>(Math.min(Math.max(maxElements, 0), items.size()));
    while (out.size() < maxElements && !items.isEmpty()) {
      out.add(items.poll());
    }
    if (!out.isEmpty()) {
      effects.removedFirst(out.size());
    }
    admitPutters();
    return out;
  }

  /**
   * Removes the first item that {@code equals} {@code o}, wherever it is.
   *
   * @param o the value
   * @return whether one was removed
   */
  public synchronized boolean remove(Object o) {
    boolean removed = items.remove(o);
    if (removed) {
      effects.replaced(new ArrayList<>(items));
      admitPutters();
    }
    return removed;
  }

  /**
   * Removes every item that is in {@code c}.
   *
   * @param c the values
   * @return whether the queue changed
   */
  public synchronized boolean removeAll(Collection<?> c) {
    boolean changed = items.removeAll(c);
    if (changed) {
      effects.replaced(new ArrayList<>(items));
    }
    admitPutters();
    return changed;
  }

  /**
   * Removes every item that is not in {@code c}.
   *
   * @param c the values to keep
   * @return whether the queue changed
   */
  public synchronized boolean retainAll(Collection<?> c) {
    boolean changed = items.retainAll(c);
    if (changed) {
      effects.replaced(new ArrayList<>(items));
    }
    admitPutters();
    return changed;
  }

  /**
   * Removes every item; parked putters come in.
   */
  public synchronized void clear() {
    items.clear();
    effects.replaced(List.of());
    admitPutters();
  }

  /**
   * Adds every item of {@code c} in order, as {@link #add(Object)}; stops at the first that does
   * not fit.
   *
   * @param c the items
   * @return true, unless {@code c} is empty
   * @throws IllegalStateException if the queue fills up; the items before stay in
   * @throws NullPointerException if an item is null
   */
  public synchronized boolean addAll(Collection<?> c) {
    if (c.isEmpty()) {
      return false;
    }
    for (Object e : c) {
      add(e);
    }
    return true;
  }

  // ---- the journal

  /**
   * Reports every later movement of items to {@code e}.
   *
   * @param e the journal's recorder for this queue
   */
  public synchronized void journalTo(QueueEffects e) {
    effects = e;
  }

  /**
   * Replay: {@code e} joins the tail, whatever the capacity (it was accepted once).
   *
   * @param e the item
   */
  public synchronized void restoreAppend(Object e) {
    items.add(e);
  }

  /**
   * Replay: {@code returned} goes to the head, in order.
   *
   * @param returned the items, oldest first
   */
  public synchronized void restorePrepend(List<Object> returned) {
    for (int i = returned.size() - 1; i >= 0; i--) {
      items.addFirst(returned.get(i));
    }
  }

  /**
   * Replay: {@code count} items leave the head.
   *
   * @param count how many
   * @throws IllegalStateException if fewer items are there: the journal does not match
   */
  public synchronized void restoreRemoveFirst(int count) {
    if (count > items.size()) {
      throw new IllegalStateException("cannot remove " + count + " items from a queue of " + items.size());
    }
    for (int i = 0; i < count; i++) {
      items.poll();
    }
  }

  // ---- inspecting

  /**
   * {@return the number of items waiting}
   */
  public synchronized int size() {
    return items.size();
  }

  /**
   * {@return whether no item is waiting}
   */
  public synchronized boolean isEmpty() {
    return items.isEmpty();
  }

  /**
   * {@return how many more items fit now; {@link Integer#MAX_VALUE} for an unbounded queue}
   */
  public synchronized int remainingCapacity() {
    // items given back may hold it above capacity for a while
    return capacity == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, capacity - items.size());
  }

  /**
   * {@return whether an item {@code equals} {@code o}}
   *
   * @param o the value
   */
  public synchronized boolean contains(Object o) {
    return items.contains(o);
  }

  /**
   * {@return whether every value of {@code c} is among the items}
   *
   * @param c the values
   */
  public synchronized boolean containsAll(Collection<?> c) {
    return items.containsAll(c);
  }

  /**
   * {@return a copy of the items, head first}
   */
  public synchronized ArrayList<Object> copy() {
    return new ArrayList<>(items);
  }

  @Override
  public synchronized long statusSize() {
    return items.size();
  }

  @Override
  public synchronized String statusDetails() {
    String cap = capacity == Integer.MAX_VALUE ? "unbounded" : "capacity " + capacity;
    return cap + ", " + takers.size() + " takers and " + putters.size() + " putters waiting";
  }
}
