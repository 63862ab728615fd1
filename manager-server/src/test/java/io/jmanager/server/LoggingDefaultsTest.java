package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.Manager;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that embeds a {@link ManagerServer}, with logback on its classpath and no logging
 * configuration, prints INFO and above only; a program with a configuration gets what it asked for.
 * The program runs in a JVM of its own, without this module's test resources (their
 * logback-test.xml would configure it).
 */
class LoggingDefaultsTest {
  private static final Pattern DEBUG_LINE = Pattern.compile("(?m)^\\S+ \\[[^]]*\\] DEBUG ");

  /** The embedding program: a daemon in this JVM, a client, one call, an INFO line of its own. */
  public static final class EmbeddingProgram {
    public static void main(String[] args) throws Exception {
      try (ManagerServer server = ManagerServer.builder().bind("127.0.0.1").port(0).unixPath("off").start();
          Manager m = Manager.builder().address(server.address()).authkey(server.authkey()).connect()) {
        m.<String, Integer>dict("embedded").put("k", 1);
        org.slf4j.LoggerFactory.getLogger("com.example.app").info("the program's own line: {}", m.dict("embedded").get("k"));
      }
    }
  }

  @Test
  void withoutConfiguration_onlyInfoAndAbove(@TempDir Path dir) throws Exception {
    String out = run(dir, List.of());
    assertTrue(out.contains("INFO com.example.app -- the program's own line: 1"), out);
    assertFalse(DEBUG_LINE.matcher(out).find(), out);
  }

  @Test
  void aConfigurationOfTheUsers_isLeftAsItIs(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("debug.xml");
    Files.writeString(config, "<configuration>"
        + "<appender name='OUT' class='ch.qos.logback.core.ConsoleAppender'>"
        + "<encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} -- %msg%n</pattern></encoder></appender>"
        + "<root level='DEBUG'><appender-ref ref='OUT'/></root></configuration>");
    String out = run(dir, List.of("-Dlogback.configurationFile=" + config));
    assertTrue(DEBUG_LINE.matcher(out).find() && out.contains("io.netty"), out);
  }

  /** Runs the program with this module's main classes and dependencies, not its test resources. */
  private static String run(Path dir, List<String> jvmOptions) throws Exception {
    Path classes = dir.resolve("classes");
    String name = EmbeddingProgram.class.getName().replace('.', '/') + ".class";
    Path compiled = Path.of(EmbeddingProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(name);
    Files.createDirectories(classes.resolve(name).getParent());
    Files.copy(compiled, classes.resolve(name));
    List<String> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes")).collect(Collectors.toCollection(ArrayList::new));
    cp.add(classes.toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Duser.home=" + dir)); // the authkey file goes there
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", String.join(File.pathSeparator, cp), EmbeddingProgram.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = pb.start();
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the program finished");
      String text = out.get(10, TimeUnit.SECONDS);
      assertEquals(0, p.exitValue(), text);
      return text;
    } finally {
      p.destroyForcibly();
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }
}
