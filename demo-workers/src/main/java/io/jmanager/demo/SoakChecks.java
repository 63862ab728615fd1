package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.ServerInfo;
import io.jmanager.demo.Soak.Incarnation;
import io.jmanager.demo.SoakJournal.Field;
import io.jmanager.demo.SoakJournal.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The soak's verdict, from the workers' journals and the daemon's state once every worker has
 * stopped. A killed incarnation leaves at most one call whose outcome is unknown (journaled as in
 * flight); every check allows exactly those and nothing more, so "acknowledged" means present
 * exactly once: counters lie in [acknowledged, acknowledged + unknown], sequences continue from
 * where the last incarnation left them (plus one where its last call was in flight) and end exactly
 * at the last acknowledged value, queue items are conserved, and so on.
 */
final class SoakChecks {
  private final Manager monitor;
  private final int workers;
  private final List<Incarnation> all;
  private final List<String> unexpected;
  private final MemorySeries memory;
  private final double rssTolerance;
  private final Map<Incarnation, long[]> journals;
  private boolean pass = true;

  SoakChecks(Manager monitor, int workers, List<Incarnation> all, List<String> unexpected, MemorySeries memory,
      double rssTolerance) {
    this.monitor = monitor;
    this.workers = workers;
    this.all = all;
    this.unexpected = unexpected;
    this.memory = memory;
    this.rssTolerance = rssTolerance;
    this.journals = all.stream().collect(Collectors.toMap(Function.identity(), SoakChecks::read));
  }

  private static long[] read(Incarnation i) {
    long[] v = new long[Field.values().length];
    if (java.nio.file.Files.exists(i.journal())) {
      try (SoakJournal j = SoakJournal.open(i.journal())) {
        for (Field f : Field.values()) {
          v[f.ordinal()] = j.get(f);
        }
      }
    }
    return v;
  }

  private long get(Incarnation i, Field f) {
    return journals.get(i)[f.ordinal()];
  }

  /** Whether {@code i} ended with an {@code op} call of unknown outcome. */
  private boolean unknown(Incarnation i, Op op) {
    return get(i, Field.CLEAN_EXIT) == 0 && get(i, Field.INFLIGHT) == op.ordinal();
  }

  private long sum(Field f) {
    return all.stream().mapToLong(i -> get(i, f)).sum();
  }

  private long unknowns(Op op) {
    return all.stream().filter(i -> unknown(i, op)).count();
  }

  /** Runs every check, prints one line each, and returns whether all passed. */
  boolean run() {
    check("workers", unexpected.isEmpty(), unexpected.isEmpty() ? all.size() + " incarnations, none died by itself" : String.join("; ", unexpected));
    long violations = sum(Field.VIOLATIONS);
    check("worker self-checks", violations == 0, violations + " violations (lost or doubled update, two lock holders)");
    bounded("soak.total (counter, all workers)", monitor.counter("soak.total").get(), sum(Field.TOTAL_ACKS), unknowns(Op.TOTAL));
    bounded("soak.merge[all] (merge, all workers)", value(monitor.<String, Long>dict("soak.merge").get("all")),
        sum(Field.MERGE_ACKS), unknowns(Op.MERGE));
    Object n = monitor.<String, Object>dict("soak.locked").get("n");
    bounded("soak.locked[n] (under soak.lock)", n == null ? 0 : (Long) n, sum(Field.LOCKED_ACKS), unknowns(Op.LOCKED));
    queue();
    for (int slot = 0; slot < workers; slot++) {
      perSlot(slot);
    }
    leaks();
    memory();
    return pass;
  }

  private static long value(Long v) {
    return v == null ? 0 : v;
  }

  private void check(String what, boolean ok, String detail) {
    pass &= ok;
    System.out.printf("  %s %-40s %s%n", ok ? "PASS" : "FAIL", what, detail);
  }

  private void bounded(String what, long actual, long acked, long unknown) {
    check(what, acked <= actual && actual <= acked + unknown,
        String.format("%,d on the daemon; %,d acknowledged + %d of unknown outcome%s", actual, acked, unknown,
            actual == acked ? " (exact)" : ""));
  }

  /** Items put = items taken + items left, each side within its unknowns. */
  private void queue() {
    long left = monitor.queue("soak.queue").size();
    long puts = sum(Field.PUT_ACKS);
    long takes = sum(Field.TAKE_ACKS);
    long unknownPuts = unknowns(Op.PUT);
    long unknownTakes = unknowns(Op.TAKE);
    check("soak.queue (put, then take)", takes + left <= puts + unknownPuts && puts <= takes + unknownTakes + left,
        String.format("%,d puts (+%d unknown) = %,d takes (+%d unknown) + %d left", puts, unknownPuts, takes, unknownTakes, left));
  }

  /** A slot's own keys: each incarnation resumes where the last left off; the last ends exactly. */
  private void perSlot(int slot) {
    List<Incarnation> runs = all.stream().filter(i -> i.slot() == slot)
        .sorted(Comparator.comparingInt(Incarnation::generation)).toList();
    String me = "w" + slot;
    List<String> problems = new ArrayList<>();
    long slotKnown = 0; // the per-slot counter's last acknowledged value
    long slotSlack = 0; // increments of unknown outcome since
    long seqLast = 0;
    long listLast = 0;
    for (Incarnation i : runs) {
      if (get(i, Field.RESUMED) == 0) {
        continue; // killed before it had read where to resume: it changed nothing
      }
      long first = get(i, Field.SLOT_FIRST);
      if (first > 0) {
        if (first < slotKnown + 1 || first > slotKnown + 1 + slotSlack) {
          problems.add(i.generation() + ": soak.slots first answer " + first + ", expected " + (slotKnown + 1) + ".." + (slotKnown + 1 + slotSlack));
        }
        slotKnown = get(i, Field.SLOT_LAST);
        slotSlack = 0;
      }
      slotSlack += unknown(i, Op.SLOT) ? 1 : 0;
      long seqStart = get(i, Field.SEQ_START);
      if (seqStart < seqLast || seqStart > seqLast + 1) {
        problems.add(i.generation() + ": soak.seq resumed at " + seqStart + " after " + seqLast);
      }
      seqLast = get(i, Field.SEQ_LAST);
      long listStart = get(i, Field.LIST_START);
      if (listStart < listLast || listStart > listLast + 1) {
        problems.add(i.generation() + ": list resumed at " + listStart + " after " + listLast);
      }
      listLast = get(i, Field.LIST_LAST);
    }
    Incarnation last = runs.get(runs.size() - 1);
    if (get(last, Field.CLEAN_EXIT) == 0) {
      problems.add("the last incarnation did not exit cleanly");
    }
    long slotValue = value(monitor.<String, Long>dict("soak.slots").get(me));
    if (slotValue < slotKnown || slotValue > slotKnown + slotSlack) {
      problems.add("soak.slots[" + me + "] is " + slotValue + ", last acknowledged " + slotKnown + " (+" + slotSlack + " unknown)");
    }
    long seqValue = value(monitor.<String, Long>dict("soak.seq").get(me));
    if (seqValue != seqLast) {
      problems.add("soak.seq[" + me + "] is " + seqValue + ", last acknowledged " + seqLast);
    }
    List<Long> list = monitor.<Long>list("soak.list." + me).copy();
    for (int k = 1; k < list.size(); k++) {
      if (list.get(k) != list.get(k - 1) + 1) {
        problems.add("soak.list." + me + " jumps from " + list.get(k - 1) + " to " + list.get(k));
        break;
      }
    }
    if (!list.isEmpty() && list.get(list.size() - 1) != listLast) {
      problems.add("soak.list." + me + " ends at " + list.get(list.size() - 1) + ", last acknowledged " + listLast);
    }
    check("slot " + slot + " (counter, sequence, list)", problems.isEmpty(), problems.isEmpty()
        ? String.format("%d incarnations; counter %,d, sequence %,d, list ends at %,d: exact", runs.size(), slotValue, seqValue, listLast)
        : String.join("; ", problems));
  }

  /** With every worker gone: only the monitor's session, only the soak's objects, no waiters. */
  private void leaks() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    ServerInfo info = monitor.info();
    while (info.sessions().size() > 1 && System.nanoTime() < deadline) {
      sleepBriefly(); // sessions end as the daemon notices the closed sockets
      info = monitor.info();
    }
    check("sessions", info.sessions().size() == 1, info.sessions().size() + " (only this monitor's expected)");
    Set<String> expected = new TreeSet<>(List.of("soak.total", "soak.slots", "soak.seq", "soak.merge", "soak.queue",
        "soak.lock", "soak.locked", Soak.STOP));
    for (int slot = 0; slot < workers; slot++) {
      expected.add("soak.list.w" + slot);
    }
    Set<String> names = new TreeSet<>(monitor.names());
    check("objects", names.equals(expected), names.size() + " objects" + (names.equals(expected) ? "" : ": " + names + ", expected " + expected));
    Map<String, String> details = info.objects().stream()
        .collect(Collectors.toMap(ServerInfo.ObjectInfo::name, ServerInfo.ObjectInfo::details));
    String queue = details.getOrDefault("soak.queue", "");
    String lock = details.getOrDefault("soak.lock", "");
    String stop = details.getOrDefault(Soak.STOP, "");
    boolean noWaiters = queue.contains("0 takers and 0 putters") && lock.equals("free") && stop.endsWith(" 0 waiting");
    check("waiters", noWaiters, "queue: " + queue + "; lock: " + lock + "; event: " + stop);
  }

  private void memory() {
    List<MemorySeries.Sample> samples = memory.samples();
    String rss = samples.stream().map(s -> MemorySeries.mib(s.rssKib())).collect(Collectors.joining(", "));
    String heap = samples.stream().map(s -> MemorySeries.mib(s.liveHeapKib())).collect(Collectors.joining(", "));
    // warm-up: the first fifth of the run (at least its first minute), while the JIT compiles and
    // the heap sizes itself to the load
    MemorySeries.Sample warm = samples.get(Math.max(0, (int) Math.ceil(samples.size() / 5.0) - 1));
    MemorySeries.Sample last = samples.get(samples.size() - 1);
    boolean known = warm.rssKib() > 0 && last.rssKib() > 0;
    boolean flat = !known || last.rssKib() <= warm.rssKib() * (1 + rssTolerance / 100);
    check("daemon RSS flat", flat, (known ? "" : "unknown here; ") + "per minute: " + rss
        + String.format(" (the last may exceed minute %d's, after warm-up, by %.0f%%)", warm.minute(), rssTolerance));
    boolean heapKnown = warm.liveHeapKib() > 0 && last.liveHeapKib() > 0;
    boolean heapFlat = !heapKnown || last.liveHeapKib() <= warm.liveHeapKib() * 5 / 4 + 4096;
    check("daemon live heap flat", heapFlat, (heapKnown ? "" : "unknown here (no jcmd); ") + "after a full GC, per minute: "
        + heap + " (the last may exceed minute " + warm.minute() + "'s by 25% + 4 MiB)");
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
