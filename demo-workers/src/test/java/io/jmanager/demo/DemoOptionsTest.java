package io.jmanager.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every demo takes {@code --address} (a daemon you started) and prints the version with {@code -V}. */
class DemoOptionsTest {
  @Test
  void everyDemo_takesAddress_andVersion() {
    Map<String, CommandLine> demos = io.jmanager.server.Main.commandLine(new Cli()).getSubcommands().get("demo").getSubcommands();
    assertFalse(demos.isEmpty());
    demos.forEach((name, demo) -> {
      assertNotNull(demo.getCommandSpec().findOption("--address"), "demo " + name + " takes --address");
      assertFalse(demo.getCommandSpec().version().length == 0, "demo " + name + " has a version");
    });
  }
}
