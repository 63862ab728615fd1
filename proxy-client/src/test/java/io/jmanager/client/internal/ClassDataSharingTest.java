package io.jmanager.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassDataSharingTest {
  @Test
  void optionsThatStopADumpOrBringTheirOwnArchive_conflict() {
    for (String option : List.of("-javaagent:jacoco.jar", "-agentlib:jdwp=transport=dt_socket",
        "-agentpath:/x.so", "-Xshare:off", "-XX:SharedArchiveFile=a.jsa",
        "-XX:ArchiveClassesAtExit=b.jsa", "-XX:-UseSharedSpaces", "-XX:StartFlightRecording",
        "--limit-modules=java.base", "--patch-module=java.base=x",
        "-XX:-UseCompressedClassPointers",
        "-XX:ObjectAlignmentInBytes=16", "-XX:VMOptionsFile=opts", "@argfile")) {
      assertTrue(ClassDataSharing.conflicts(option), option);
    }
  }

  @Test
  void everydayOptions_doNotConflict() {
    for (String option : List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-XX:-UseCompressedOops", "-Dlogback.configurationFile=x.xml",
        "-Xlog:class+load=info:file=load.txt", "-ea")) {
      assertFalse(ClassDataSharing.conflicts(option), option);
    }
  }

  @Test
  void optionsVariables_countAsTheWorkersOptions_withTheWorkersOverrides() {
    assertTrue(ClassDataSharing.conflicts(
        List.of("-Xmx64m"), Map.of("JAVA_TOOL_OPTIONS", " -Xmx1g  -javaagent:agent.jar")));
    assertTrue(ClassDataSharing.conflicts(
        List.of(), Map.of("JDK_JAVA_OPTIONS", "-Xshare:off")));
    Map<String, String> none =
        Map.of("JAVA_TOOL_OPTIONS", "", "JDK_JAVA_OPTIONS", "", "_JAVA_OPTIONS", "");
    assertFalse(ClassDataSharing.conflicts(List.of("-Xmx64m"), none));
    assertTrue(ClassDataSharing.conflicts(List.of("-ea", "-javaagent:a.jar"), Map.of()));
  }

  @Test
  void classDirectoriesOnTheClasspath_turnTheArchiveOff() {
    // surefire's classpath starts with target/test-classes and target/classes
    assertTrue(CdsClasspath.of(System.getProperty("java.class.path")).hasClassDirectory());
    assertEquals(List.of(), ClassDataSharing.forWorker(true, List.of(), Map.of()).jvmOptions());
  }
}
