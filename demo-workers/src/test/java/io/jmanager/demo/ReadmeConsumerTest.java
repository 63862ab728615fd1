package io.jmanager.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's dependency fragment ("Using jmanager from another project") is what the consumer
 * project in {@code src/it/consumer} declares, and {@code mvn verify} builds and tests that project
 * against this checkout's artifacts (maven-invoker-plugin): the fragment a user copies is tested.
 */
class ReadmeConsumerTest {
  private static final String HEADING = "## Using jmanager from another project";
  private static final Pattern VERSION = Pattern.compile("<version>([^<]*)</version>");

  @Test
  void readmeDependencyFragment_isTheConsumersDependencies_atThisBuildsVersion()
      throws IOException {
    List<String> fragment = xmlBlock(Files.readAllLines(Path.of("..", "README.md")));
    List<String> consumer = Files.readAllLines(Path.of("src", "it", "consumer", "pom.xml"));
    assertTrue(Collections.indexOfSubList(normalized(consumer), normalized(fragment)) >= 0,
        "src/it/consumer/pom.xml must declare the README's fragment, versions aside:\n"
            + String.join("\n", fragment));

    String parent = Files.readString(Path.of("..", "pom.xml"));
    Matcher projectVersion = Pattern.compile(
        "<artifactId>jmanager-parent</artifactId>\\s*<version>([^<]*)</version>").matcher(parent);
    assertTrue(projectVersion.find(), "the root pom's version");
    for (String line : fragment) {
      Matcher v = VERSION.matcher(line);
      if (v.find()) {
        assertEquals(projectVersion.group(1), v.group(1), "README's version: " + line.strip());
      }
    }
  }

  /** The first {@code xml} code block after the section's heading. */
  private static List<String> xmlBlock(List<String> readme) {
    int open = readme.indexOf(HEADING);
    assertTrue(open >= 0, "README.md has no line '" + HEADING + "'");
    while (open < readme.size() && !readme.get(open).equals("```xml")) {
      open++;
    }
    int close = open + 1;
    while (close < readme.size() && !readme.get(close).equals("```")) {
      close++;
    }
    assertTrue(close < readme.size(), "no ```xml ... ``` block after '" + HEADING + "'");
    List<String> block = readme.subList(open + 1, close);
    assertFalse(block.isEmpty(), "an empty xml block");
    return block;
  }

  /** Lines without indentation or blank lines, every version replaced by one placeholder. */
  private static List<String> normalized(List<String> lines) {
    return lines.stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .map(l -> VERSION.matcher(l).replaceAll("<version/>"))
        .collect(Collectors.toList());
  }
}
