package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.WorkerProcess;
import io.jmanager.server.ManagerProcess;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/jmanager soak}: a daemon in its own JVM and several worker JVMs ({@link SoakWorker})
 * doing mixed calls, one of them SIGKILLed every few seconds and started again, for {@code
 * --minutes}. Each minute it prints the daemon's resident memory, live heap, threads and sessions;
 * at the end it stops the workers cooperatively and checks, from the workers' journals and the
 * daemon's state, that every acknowledged update is there exactly once, that nothing of the
 * workers is left behind (sessions, objects, waiters), and that the daemon's memory stayed flat
 * ({@link SoakChecks}). PASS or FAIL, exit status 0 or 1. Not a test: it runs for minutes.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Runs mixed load from worker JVMs killed (SIGKILL) and restarted at random, "
        + "then checks every acknowledged update, leaks and the daemon's memory, and prints PASS "
        + "or FAIL.")
final class Soak implements Callable<Integer> {
  static final String STOP = "soak.stop";

  @Option(names = "--minutes", defaultValue = "10",
      description = "The minutes to run; the default is ${DEFAULT-VALUE}.")
  double minutes;

  @Option(names = "--workers", defaultValue = "4",
      description = "The number of worker JVMs; the default is ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--kill-every", defaultValue = "4",
      description = "The mean seconds between kills, each gap drawn from half to one and a half "
          + "times it; the default is ${DEFAULT-VALUE}.")
  double killEvery;

  @Option(names = "--rss-tolerance", defaultValue = "20",
      description = "The percent the daemon's RSS may grow from the end of warm-up (the first "
          + "fifth of the run, at least a minute) to the last minute and still count as flat; the "
          + "default is ${DEFAULT-VALUE}.")
  double rssTolerance;

  @Option(names = "--daemon-jvm", defaultValue = "-Xmx256m",
      description = "The options of the daemon's JVM, separated by spaces; a bounded heap makes "
          + "its RSS settle, so growth means a leak. The default is ${DEFAULT-VALUE}.")
  String daemonJvm;

  @Option(names = "--seed",
      description = "The seed of the kill schedule; by default, it is random, and it is printed "
          + "either way.")
  Long seed;

  @Option(names = "--config",
      description = "The daemon's properties file; by default, the daemon reads "
          + "config/manager.properties of the installation if it exists, as bin/jmanager server "
          + "does.")
  Path config;

  @Option(names = "--keep",
      description = "Keeps the run's folder (journals, worker logs) even on PASS; on FAIL, it is "
          + "always kept.")
  boolean keep;

  /** One run of one worker slot. */
  record Incarnation(int slot, int generation, Path journal, WorkerProcess process) {}

  @Override
  public Integer call() throws Exception {
    if (minutes <= 0 || workers < 1 || killEvery <= 0) {
      System.err.println("soak: --minutes and --kill-every must be positive, --workers at least 1");
      return 2;
    }
    long s = seed != null ? seed : new Random().nextLong();
    Random random = new Random(s);
    Path dir = Files.createTempDirectory("jmanager-soak-");
    List<Incarnation> all = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    MemorySeries memory;
    boolean pass;
    String[] daemonArgs = config == null ? new String[0] : new String[] {"--config", config.toString()};
    try (ManagerProcess daemon = ManagerProcess.start(
        Stream.of(daemonJvm.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList(), daemonArgs);
        Manager monitor = daemon.connect()) {
      System.out.printf("soak: %.1f min, %d workers, a SIGKILL every ~%.1f s (seed %d); daemon pid %d at %s; run folder %s%n",
          minutes, workers, killEvery, s, daemon.pid(), monitor.address(), dir);
      memory = new MemorySeries(daemon.pid());
      Incarnation[] current = new Incarnation[workers];
      for (int slot = 0; slot < workers; slot++) {
        current[slot] = start(monitor, dir, slot, 0, all);
      }
      long startNanos = System.nanoTime();
      long endNanos = startNanos + (long) (minutes * 60e9);
      long nextKill = startNanos + gap(random);
      long nextSample = startNanos + 60_000_000_000L;
      int kills = 0;
      int minute = 0;
      while (true) {
        long now = System.nanoTime();
        long next = Math.min(endNanos, Math.min(nextKill, nextSample));
        if (next > now) {
          Thread.sleep(Math.max(1, (next - now) / 1_000_000)); // the schedule's next point, not a condition
          continue;
        }
        restartExited(monitor, dir, current, all, unexpected);
        if (now >= nextSample) {
          minute++;
          memory.sample(minute, "minute " + minute, monitor, kills, acknowledgedOps(all));
          nextSample += 60_000_000_000L;
        }
        if (now >= endNanos) {
          break;
        }
        if (now >= nextKill) {
          int slot = random.nextInt(workers);
          Incarnation victim = current[slot];
          victim.process().kill();
          victim.process().join(Duration.ofSeconds(30));
          current[slot] = start(monitor, dir, slot, victim.generation() + 1, all);
          kills++;
          nextKill = now + gap(random);
        }
      }
      if (System.nanoTime() - (nextSample - 60_000_000_000L) > 30_000_000_000L) { // a part-minute at the end
        memory.sample(minute + 1, "end", monitor, kills, acknowledgedOps(all));
      }
      System.out.printf("stopping: %d kills, %d worker incarnations, %d calls acknowledged%n",
          kills, all.size(), acknowledgedOps(all));
      monitor.event(STOP).set();
      for (Incarnation i : current) {
        if (!i.process().join(Duration.ofSeconds(60))) {
          unexpected.add("worker " + i.slot() + "." + i.generation() + " did not stop within 60 s; killed");
          i.process().kill();
          i.process().join(Duration.ofSeconds(30));
        } else if (i.process().exitCode().orElse(-1) != 0) {
          unexpected.add("worker " + i.slot() + "." + i.generation() + " exited with " + i.process().exitCode().orElse(-1));
        }
      }
      SoakChecks checks = new SoakChecks(monitor, workers, all, unexpected, memory, rssTolerance);
      pass = checks.run();
    } finally {
      for (Incarnation i : all) {
        if (i.process().isAlive()) {
          i.process().kill();
        }
      }
    }
    System.out.println(pass ? "SOAK PASS" : "SOAK FAIL (run folder kept: " + dir + ")");
    if (pass && !keep) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
    return pass ? 0 : 1;
  }

  private long gap(Random random) {
    return (long) (killEvery * (0.5 + random.nextDouble()) * 1e9);
  }

  private static Incarnation start(Manager monitor, Path dir, int slot, int generation, List<Incarnation> all) {
    Path journal = dir.resolve("slot-" + slot + "-" + generation + ".journal");
    Path log = dir.resolve("slot-" + slot + "-" + generation + ".log");
    WorkerProcess p = WorkerProcess.of(SoakWorker.class, journal.toString(), Integer.toString(slot))
        .manager(monitor)
        .redirectOutput(Redirect.appendTo(log.toFile()))
        .redirectError(Redirect.appendTo(log.toFile()))
        .start();
    Incarnation i = new Incarnation(slot, generation, journal, p);
    all.add(i);
    return i;
  }

  /** A worker that died by itself is a finding; it is started again so the load goes on. */
  private static void restartExited(Manager monitor, Path dir, Incarnation[] current, List<Incarnation> all, List<String> unexpected) {
    for (int slot = 0; slot < current.length; slot++) {
      Incarnation i = current[slot];
      if (!i.process().isAlive()) {
        unexpected.add("worker " + slot + "." + i.generation() + " exited by itself with " + i.process().exitCode().orElse(-1)
            + " (see " + dir.resolve("slot-" + slot + "-" + i.generation() + ".log") + ")");
        current[slot] = start(monitor, dir, slot, i.generation() + 1, all);
      }
    }
  }

  private static long acknowledgedOps(List<Incarnation> all) {
    long ops = 0;
    for (Incarnation i : all) {
      if (Files.exists(i.journal())) {
        try (SoakJournal j = SoakJournal.open(i.journal())) {
          ops += j.get(SoakJournal.Field.OPS);
        } catch (RuntimeException starting) {
          // its JVM is still creating the file: it has done nothing yet
        }
      }
    }
    return ops;
  }
}
