package io.jmanager.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bin/jmanager demo python} end to end: Java worker JVMs and a real python3, one daemon. */
class PythonDemoTest {
  @Test
  void javaWorkersAndACPythonProcess_addUnderOneLock_toTheExactTotal() throws Exception {
    assumeTrue(Python3.version().filter(v -> Python3.atLeast(v, 8)).isPresent(),
        "no python3 (CPython 3.8 or later) on the PATH: the Python demo needs one");
    PythonDemo demo = CommandLine.populateCommand(new PythonDemo(), "--workers", "2", "--increments", "200");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    PythonDemo.Outcome outcome = demo.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertFalse(outcome.skipped(), text);
    assertTrue(outcome.passed(), text);
    assertEquals(600, outcome.counter(), text);
    assertEquals(600, outcome.expected(), text);
    assertTrue(text.contains("'counter': 600") && text.contains("counter=600"), "both sides see the total:\n" + text);
    assertTrue(text.contains("'java-2': {'lang': 'java', 'pid': ") && text.contains("python-1={lang=python, pid="),
        "each side sees the other's entries:\n" + text);
  }
}
