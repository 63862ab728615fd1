package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Five-minute tour" is demo-workers' {@code Tour.java}: the README's block must be
 * the file's regions between {@code // tour:start} and {@code // tour:end} lines (each region
 * without its common indentation, regions joined by one blank line), and the file must compile
 * against this build and run to exit 0, which it does only if every value is what the tour's
 * comments say. Tests run with the module as working directory, so the repository is {@code ..}.
 */
class ReadmeTourTest {
  private static final Path ROOT = Path.of("..");
  private static final Path README = ROOT.resolve("README.md");
  private static final Path TOUR =
      ROOT.resolve("demo-workers/src/main/java/io/jmanager/demo/Tour.java");
  private static final String TOUR_HEADING = "## Five-minute tour";
  private static final String DONE = "tour: every value is what the tour says";

  @Test
  void readmeTourBlock_isTheMarkedRegionsOfTourJava() throws IOException {
    assertEquals(
        markedRegions(Files.readAllLines(TOUR)),
        tourBlock(Files.readAllLines(README)),
        "README.md's tour block must be Tour.java's marked regions, joined by a blank line");
  }

  @Test
  void tour_compilesAndEveryValueIsWhatItsCommentsSay(@TempDir Path dir) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests need a JDK, not a JRE, to compile Tour.java");
    String classpath = System.getProperty("java.class.path");
    Path classes = Files.createDirectory(dir.resolve("classes"));
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int compiled =
        javac.run(null, diagnostics, diagnostics, "-proc:none", "-d", classes.toString(),
            "-cp", classpath, TOUR.toString());
    assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

    Path output = dir.resolve("tour.out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process tour =
        new ProcessBuilder(java, "-cp", classes + File.pathSeparator + classpath,
                "io.jmanager.demo.Tour")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!tour.waitFor(120, TimeUnit.SECONDS)) {
      tour.destroyForcibly().waitFor();
      throw new AssertionError("Tour did not finish in 120 s:\n" + Files.readString(output));
    }
    String out = Files.readString(output);
    assertEquals(0, tour.exitValue(), out);
    assertTrue(out.contains(DONE), out);
  }

  /** The lines of the first {@code java} code block after the tour's heading. */
  private static String tourBlock(List<String> readme) {
    int heading = readme.indexOf(TOUR_HEADING);
    assertTrue(heading >= 0, "README.md has no line '" + TOUR_HEADING + "'");
    int open = heading + 1;
    while (open < readme.size() && !readme.get(open).equals("```java")) {
      open++;
    }
    int close = open + 1;
    while (close < readme.size() && !readme.get(close).equals("```")) {
      close++;
    }
    assertTrue(close < readme.size(), "no ```java ... ``` block after '" + TOUR_HEADING + "'");
    return String.join("\n", readme.subList(open + 1, close));
  }

  /** The marked regions, each without its common indentation, joined by one blank line. */
  private static String markedRegions(List<String> source) {
    List<String> regions = new ArrayList<>();
    List<String> region = null;
    for (String line : source) {
      String marker = line.strip();
      if (marker.equals("// tour:start")) {
        region = new ArrayList<>();
      } else if (marker.equals("// tour:end")) {
        assertNotNull(region, "'// tour:end' without '// tour:start' in " + TOUR);
        regions.add(dedent(region));
        region = null;
      } else if (region != null) {
        region.add(line);
      }
    }
    assertTrue(region == null, "'// tour:start' without '// tour:end' in " + TOUR);
    assertTrue(!regions.isEmpty(), "no '// tour:start' region in " + TOUR);
    return String.join("\n\n", regions);
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent));
    }
    return String.join("\n", out);
  }
}
