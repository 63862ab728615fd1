package io.jmanager.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help a user reads: every command, option and parameter described in complete sentences, and
 * the launcher's usage ({@code bin/jmanager --help}) listing every command it runs and every demo.
 */
class HelpTextTest {
  /** The end of a sentence and the start of another: a description of two sentences. */
  private static final Pattern TWO_SENTENCES = Pattern.compile("[.?!]\\s+\\p{Lu}");

  @Test
  void demoCli_describesEveryCommandAndOption_inCompleteSentences() {
    assertSentences(Main.commandLine(new Cli()));
  }

  @Test
  void daemonCli_describesEveryCommandAndOption_inCompleteSentences() {
    assertSentences(Main.commandLine(new Main()));
  }

  @Test
  void poolWorker_describesItsCommandAndOptions_inCompleteSentences() {
    assertSentences(poolWorker());
  }

  @Test
  void demoHelp_listsEveryDemo_withOneSentence() {
    List<String> problems = new ArrayList<>();
    demos().forEach((name, demo) -> {
      String[] description = demo.getCommandSpec().usageMessage().description();
      String listed = description.length == 0 ? "" : description[0].trim(); // in `demo --help`
      if (!isSentence(listed) || TWO_SENTENCES.matcher(listed).find()) {
        problems.add("demo " + name + ": \"" + listed + "\"");
      }
    });
    assertTrue(problems.isEmpty(),
        "`demo --help` lists each demo with one sentence:\n" + String.join("\n", problems));
  }

  @Test
  void launcherUsage_listsEveryDemo() throws IOException {
    String usage = launcherUsage();
    for (String demo : demos().keySet()) {
      assertTrue(listed(usage, demo), "bin/jmanager --help lists the demo " + demo + ":\n" + usage);
    }
  }

  @Test
  void launcherUsage_listsEveryCommandTheLauncherRuns() throws IOException {
    Set<String> commands = new TreeSet<>();
    commands.addAll(Main.commandLine(new Main()).getSubcommands().keySet());
    commands.addAll(Main.commandLine(new Cli()).getSubcommands().keySet());
    commands.add(poolWorker().getCommandName());
    assertEquals(
        Set.of("server", "status", "shutdown", "journal", "demo", "bench", "soak", "pool-worker"),
        commands);
    assertEquals(commands, dispatched(), "bin/jmanager runs the commands of Main, Cli and PoolWorker");
    String usage = launcherUsage();
    for (String command : commands) {
      assertTrue(listed(usage, command),
          "bin/jmanager --help lists the command " + command + ":\n" + usage);
    }
  }

  /** Every description in {@code root}'s tree that a user sees, each a complete sentence. */
  private static void assertSentences(CommandLine root) {
    List<String> problems = new ArrayList<>();
    walk(root, problems);
    assertTrue(problems.isEmpty(),
        "descriptions that are not complete sentences:\n" + String.join("\n", problems));
  }

  private static void walk(CommandLine command, List<String> problems) {
    CommandSpec spec = command.getCommandSpec();
    String name = spec.qualifiedName();
    String[] description = spec.usageMessage().description();
    check(name, description, problems);
    if (description.length > 0 && !isSentence(description[0].trim())) { // in its parent's list
      problems.add(name + " (the line its parent lists): \"" + description[0].trim() + "\"");
    }
    for (ArgSpec arg : spec.args()) {
      if (!arg.hidden()) {
        String argName = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
        check(name + " " + argName, arg.renderedDescription(), problems);
      }
    }
    command.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, problems));
  }

  private static void check(String where, String[] description, List<String> problems) {
    String text = String.join(" ", description).trim();
    if (!isSentence(text)) {
      problems.add(where + ": \"" + text + "\"");
    }
  }

  /** Starts with a capital letter and ends with a full stop, question mark or exclamation mark. */
  static boolean isSentence(String text) {
    return !text.isEmpty()
        && Character.isUpperCase(text.codePointAt(0))
        && ".?!".indexOf(text.charAt(text.length() - 1)) >= 0;
  }

  private static Map<String, CommandLine> demos() {
    return Main.commandLine(new Cli()).getSubcommands().get("demo").getSubcommands();
  }

  /** {@code bin/jmanager pool-worker}, built as {@code PoolWorker.main} builds it. */
  private static CommandLine poolWorker() {
    try {
      return Main.commandLine(Class.forName("io.jmanager.pool.PoolWorker$Join"));
    } catch (ClassNotFoundException e) {
      throw new AssertionError("PoolWorker.Join is bin/jmanager pool-worker", e);
    }
  }

  /** Whether the launcher's usage has an entry for {@code name}: an indented line starting so. */
  private static boolean listed(String usage, String name) {
    return Pattern.compile("(?m)^[ \\t]+" + Pattern.quote(name) + "(\\s|$)").matcher(usage).find();
  }

  /** The launcher, from this module's directory (the tests' working directory). */
  private static String launcher() throws IOException {
    return Files.readString(Path.of("..", "bin", "jmanager"));
  }

  /** What {@code bin/jmanager --help} prints: its usage heredoc. */
  private static String launcherUsage() throws IOException {
    Matcher m = Pattern.compile("(?ms)<<USAGE\\n(.*?)^USAGE$").matcher(launcher());
    assertTrue(m.find(), "bin/jmanager has a usage heredoc");
    return m.group(1);
  }

  /**
   * The commands the launcher's {@code case "$cmd"} runs, by name; {@code help} and {@code version}
   * are the options {@code --help} and {@code --version} spelled as words.
   */
  private static Set<String> dispatched() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^  ([^\\s()]+)\\)").matcher(launcher());
    while (m.find()) {
      Arrays.stream(m.group(1).split("\\|"))
          .filter(n -> n.matches("[a-z][a-z-]*") && !n.equals("help") && !n.equals("version"))
          .forEach(names::add);
    }
    return names;
  }
}
