package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedEvent;
import io.jmanager.client.WorkerProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How to stop worker processes: cooperatively first. Workers loop until a shared event is set; the
 * parent sets it and join()s each with a timeout; a worker that does not stop in time (one is
 * deliberately stuck) is terminate()d as the fallback. Exit codes are printed; nothing is left
 * running.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stops worker JVMs cooperatively with a shared event, joins each with a "
        + "timeout and terminates the one that is stuck.")
final class StopDemo implements Callable<Integer> {
  static final String EVENT = "stop.requested";
  static final String WORK = "stop.work-done";
  static final String STARTED = "stop.started"; // a barrier: the parent and every worker

  @Option(names = "--workers", defaultValue = "4",
      description = "The number of well-behaved workers, besides the one that is stuck; the "
          + "default is ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--run", defaultValue = "2",
      description = "The seconds the workers work before the stop event is set; the default is "
          + "${DEFAULT-VALUE}.")
  double runSeconds;

  @Mixin
  DemoDaemon.Options daemonOptions;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    try (DemoDaemon daemon = daemonOptions.open(EVENT, WORK, STARTED)) {
      Manager m = daemon.manager;
      SharedEvent stop = m.event(EVENT);
      out.printf("jmanager stop demo: %d workers watch the event '%s', plus 1 that is stuck; %s%n",
          workers, EVENT, daemon.describe());
      List<WorkerProcess> procs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        procs.add(WorkerProcess.of(StopWorker.class, "worker-" + (i + 1), "cooperative", Integer.toString(workers + 2))
            .manager(m).start());
      }
      WorkerProcess stuck = WorkerProcess.of(StopWorker.class, "stuck", "stuck", Integer.toString(workers + 2))
          .manager(m).start();
      procs.add(stuck);
      m.barrier(STARTED, workers + 2).await(); // every JVM has started before the clock runs
      Thread.sleep((long) (runSeconds * 1000));
      out.printf("after %.1f s: %d work units done; setting '%s'%n", runSeconds, m.counter(WORK).get(), EVENT);
      stop.set();
      boolean ok = true;
      for (int i = 0; i < procs.size(); i++) {
        WorkerProcess p = procs.get(i);
        String name = p == stuck ? "stuck   " : "worker-" + (i + 1);
        long start = System.nanoTime();
        if (p.join(Duration.ofSeconds(5))) {
          out.printf("  %s pid %-7d exited gracefully in %4d ms, exit code %d%n", name, p.pid(),
              (System.nanoTime() - start) / 1_000_000, p.exitCode().getAsInt());
          ok &= p != stuck && p.exitCode().getAsInt() == 0;
        } else {
          out.printf("  %s pid %-7d did not stop within 5 s: terminate() (SIGTERM)%n", name, p.pid());
          p.terminate();
          if (!p.join(Duration.ofSeconds(5))) {
            out.printf("  %s pid %-7d ignored SIGTERM: kill() (SIGKILL)%n", name, p.pid());
            p.kill();
            p.join();
          }
          out.printf("  %s pid %-7d exit code %d%n", name, p.pid(), p.exitCode().getAsInt());
          ok &= p == stuck;
        }
      }
      boolean allGone = procs.stream().noneMatch(WorkerProcess::isAlive);
      out.println("check: " + (ok && allGone ? "graceful exits for the cooperative workers, the stuck one terminated, nothing left running  OK" : "MISMATCH"));
      return ok && allGone ? 0 : 1;
    }
  }

  /** {@code name cooperative|stuck parties}. */
  public static final class StopWorker {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.fromEnvironment()) {
        SharedEvent stop = m.event(EVENT);
        m.barrier(STARTED, Integer.parseInt(args[2])).await();
        if (args[1].equals("stuck")) {
          Thread.sleep(Long.MAX_VALUE); // a worker hung in something that never checks the event
        }
        while (!stop.isSet()) {
          Primes.countByTrialDivision(1_000_000, 1_010_000); // one unit of work
          m.counter(WORK).incrementAndGet();
        }
        // finish cleanly: close the connection, flush results, exit 0
      }
    }
  }
}
