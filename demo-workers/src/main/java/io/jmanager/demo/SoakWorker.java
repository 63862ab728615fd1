package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.SharedList;
import io.jmanager.client.SharedLock;
import io.jmanager.client.SharedQueue;
import io.jmanager.demo.SoakJournal.Field;
import io.jmanager.demo.SoakJournal.Op;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * One soak worker JVM ({@code journalFile slot}): mixed calls as fast as it can until the event
 * {@value Soak#STOP} is set, each one journaled ({@link SoakJournal}) so that a SIGKILL at any
 * instant leaves exactly one call of unknown outcome. A new incarnation of a slot resumes from what
 * the daemon holds. What it checks itself (a lost or doubled update, two lock holders) counts as
 * a violation in its journal.
 *
 * <ul>
 *   <li>{@code soak.total}: a counter every worker increments (checked against the sum of acks);
 *   <li>{@code soak.slots[w<slot>]}: {@code increment} of the slot's own key, whose answers must run
 *       +1 at a time;
 *   <li>{@code soak.seq[w<slot>]}: {@code replace(key, n, n + 1)}, which must always succeed;
 *   <li>{@code soak.merge[all]}: {@code merge(key, 1, Long::sum)} from every worker (a retry loop);
 *   <li>{@code soak.queue}: put one item, then take one (a parked wait when another took it);
 *   <li>{@code soak.lock} guarding a read-modify-write of {@code soak.locked[n]}, and an owner
 *       mark that must still be ours at unlock;
 *   <li>{@code soak.list.w<slot>}: append the next number; keep the last 64.
 * </ul>
 */
public final class SoakWorker {
  private static final int LIST_KEEP = 64;

  private final SoakJournal journal;
  private final String me;
  private final String token;
  private final SharedCounter total;
  private final SharedDict<String, Long> slots;
  private final SharedDict<String, Long> seq;
  private final SharedDict<String, Long> merge;
  private final SharedQueue<String> queue;
  private final SharedLock lock;
  private final SharedDict<String, Object> locked;
  private final SharedList<Long> list;
  private long slotLast = -1;
  private long seqLast;
  private long listLast;
  private int listSize;
  private long items;

  private SoakWorker(Manager m, SoakJournal journal, int slot) {
    this.journal = journal;
    this.me = "w" + slot;
    this.token = me + "@" + ProcessHandle.current().pid();
    this.total = m.counter("soak.total");
    this.slots = m.dict("soak.slots");
    this.seq = m.dict("soak.seq");
    this.merge = m.dict("soak.merge");
    this.queue = m.queue("soak.queue");
    this.lock = m.lock("soak.lock");
    this.locked = m.dict("soak.locked");
    this.list = m.list("soak.list." + me);
  }

  public static void main(String[] args) throws InterruptedException {
    try (SoakJournal journal = SoakJournal.create(Path.of(args[0])); Manager m = Manager.fromEnvironment()) {
      SoakWorker w = new SoakWorker(m, journal, Integer.parseInt(args[1]));
      w.resume();
      w.run(m.event(Soak.STOP));
      journal.set(Field.CLEAN_EXIT, 1);
    }
  }

  /** Picks up where the slot's last incarnation left the daemon. */
  private void resume() {
    seq.putIfAbsent(me, 0L);
    seqLast = seq.get(me);
    journal.set(Field.SEQ_START, seqLast);
    journal.set(Field.SEQ_LAST, seqLast);
    List<Long> tail = list.copy();
    listSize = tail.size();
    listLast = tail.isEmpty() ? 0 : tail.get(tail.size() - 1);
    journal.set(Field.LIST_START, listLast);
    journal.set(Field.LIST_LAST, listLast);
    journal.set(Field.RESUMED, 1);
  }

  private void run(SharedEvent stop) throws InterruptedException {
    Random random = new Random();
    for (long i = 0; i % 64 != 0 || !stop.isSet(); i++) {
      switch (random.nextInt(7)) {
        case 0 -> total();
        case 1 -> slot();
        case 2 -> seq();
        case 3 -> merge();
        case 4 -> queue();
        case 5 -> locked();
        default -> list();
      }
    }
  }

  private void total() {
    journal.inFlight(Op.TOTAL);
    total.incrementAndGet();
    journal.acknowledged(Field.TOTAL_ACKS);
  }

  private void slot() {
    journal.inFlight(Op.SLOT);
    long v = slots.increment(me, 1);
    if (slotLast < 0) {
      journal.set(Field.SLOT_FIRST, v);
    } else if (v != slotLast + 1) {
      violation("soak.slots[" + me + "] went from " + slotLast + " to " + v);
    }
    slotLast = v;
    journal.set(Field.SLOT_LAST, v);
    journal.done();
  }

  private void seq() {
    journal.inFlight(Op.SEQ);
    if (seq.replace(me, seqLast, seqLast + 1)) {
      seqLast++;
      journal.set(Field.SEQ_LAST, seqLast);
    } else {
      violation("soak.seq[" + me + "] was not " + seqLast + " but " + seq.get(me));
      seqLast = seq.get(me);
    }
    journal.done();
  }

  private void merge() {
    journal.inFlight(Op.MERGE);
    merge.merge("all", 1L, Long::sum);
    journal.acknowledged(Field.MERGE_ACKS);
  }

  private void queue() throws InterruptedException {
    journal.inFlight(Op.PUT);
    queue.put(me + ":" + items++);
    journal.acknowledged(Field.PUT_ACKS);
    journal.inFlight(Op.TAKE);
    queue.take(); // there is at least our own item, unless a taker was killed with it
    journal.acknowledged(Field.TAKE_ACKS);
  }

  private void locked() {
    journal.inFlight(Op.LOCKED);
    lock.lock();
    try {
      locked.put("owner", token);
      Object n = locked.get("n");
      locked.put("n", n == null ? 1L : (Long) n + 1);
      Object owner = locked.get("owner");
      if (!token.equals(owner)) {
        violation("soak.lock held by " + token + " but the owner mark says " + owner);
      }
    } finally {
      lock.unlock();
    }
    journal.acknowledged(Field.LOCKED_ACKS);
  }

  private void list() {
    journal.inFlight(Op.LIST_ADD);
    list.add(listLast + 1);
    listLast++;
    listSize++;
    journal.set(Field.LIST_LAST, listLast);
    journal.done();
    if (listSize > LIST_KEEP) {
      journal.inFlight(Op.LIST_TRIM);
      list.remove(0);
      listSize--;
      journal.done();
    }
  }

  private void violation(String what) {
    journal.set(Field.VIOLATIONS, journal.get(Field.VIOLATIONS) + 1);
    System.err.println("soak worker " + token + ": VIOLATION: " + what);
  }
}
