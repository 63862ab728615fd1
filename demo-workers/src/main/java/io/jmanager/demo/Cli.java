package io.jmanager.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/jmanager demo <name>}, {@code bin/jmanager bench} and {@code bin/jmanager soak}. */
@Command(
    name = "jmanager",
    mixinStandardHelpOptions = true,
    description = "Runs the demos, the benchmark and the soak run of jmanager.",
    subcommands = {Cli.Demo.class, Bench.class, Soak.class})
public final class Cli {
  public static void main(String[] args) {
    System.exit(io.jmanager.server.Main.commandLine(new Cli()).execute(args));
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = "Runs a demo with real worker JVMs.",
      subcommands = {RegistryDemo.class, PipelineDemo.class, CacheDemo.class, InventoryDemo.class, StopDemo.class,
          PoolDemo.class, PythonDemo.class})
  static final class Demo {}
}
