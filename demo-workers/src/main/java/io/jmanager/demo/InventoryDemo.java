package io.jmanager.demo;

import io.jmanager.client.Manager;
import io.jmanager.client.WorkerProcess;
import io.jmanager.server.ManagerProcess;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The user-type recipe end to end: a daemon JVM configured with {@code
 * types.inventory=io.jmanager.demo.InventoryImpl}, and worker JVMs reserving stock through {@code
 * m.proxy("inventory", "warehouse", Inventory.class)}. No reservation is double-booked, and every
 * worker exits 0 within a bound.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
    description = {"Runs worker JVMs that reserve stock in a user-registered type "
        + "(types.inventory=...) on the daemon, and checks that nothing is double-booked.",
        "A daemon at --address must register it: types.inventory=io.jmanager.demo.InventoryImpl."})
final class InventoryDemo implements Callable<Integer> {
  /** How long the workers may take to start, empty the warehouse and exit. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  @Option(names = "--workers", defaultValue = "4",
      description = "The number of worker JVMs; the default is ${DEFAULT-VALUE}.")
  int workers;

  @Mixin
  DemoDaemon.Options daemonOptions; // --address: a daemon the user started

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (daemonOptions.address != null) { // it must register types.inventory=io.jmanager.demo.InventoryImpl
      try (Manager m = Manager.connect(daemonOptions.address)) {
        m.delete("warehouse"); // left by an earlier run
        m.delete("inventory.reserved");
        out.println("jmanager user-type demo: daemon at " + m.address());
        return run(m, out);
      }
    }
    Path config = Files.createTempFile("jmanager-inventory", ".properties");
    Files.writeString(config, "types.inventory=" + InventoryImpl.class.getName() + "\n");
    try (ManagerProcess daemon = ManagerProcess.start("--config", config.toString());
        Manager m = daemon.connect()) {
      out.println("jmanager user-type demo: daemon JVM pid " + daemon.pid() + " with types.inventory="
          + InventoryImpl.class.getName());
      return run(m, out);
    } finally {
      Files.deleteIfExists(config);
    }
  }

  /** Restocks the warehouse, lets the workers empty it, and checks the count. */
  private int run(Manager m, PrintStream out) throws InterruptedException {
    Inventory inv = m.proxy("inventory", "warehouse", Inventory.class);
    inv.restock("widget", 100);
    List<WorkerProcess> procs = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      procs.add(WorkerProcess.of(InventoryWorker.class).manager(m).start());
    }
    List<String> failed = WorkerExits.failures(procs, "inventory worker", EXIT_WAIT);
    failed.forEach(f -> out.println("FAILED: " + f));
    long reserved = m.counter("inventory.reserved").get();
    int left = inv.stock().get("widget");
    out.printf("%d workers reserved %d widgets one at a time; %d left in stock%n", workers, reserved, left);
    boolean ok = failed.isEmpty() && reserved + left == 100 && left == 0;
    out.println("check: every worker exited 0, reserved + left == 100 and nothing double-booked  " + (ok ? "OK" : "MISMATCH"));
    return ok ? 0 : 1;
  }

  /** Reserves widgets until the warehouse is empty. */
  public static final class InventoryWorker {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        Inventory inv = m.proxy("inventory", "warehouse", Inventory.class);
        while (inv.reserve("widget", 1)) {
          m.counter("inventory.reserved").incrementAndGet();
        }
      }
    }
  }
}
