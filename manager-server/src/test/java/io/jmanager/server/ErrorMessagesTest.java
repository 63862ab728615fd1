package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.AuthenticationException;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.common.Authkeys;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each error a user meets at setup names its fix. */
class ErrorMessagesTest {
  @Test
  void aPortInUse_namesTheAddress_andSuggestsPortZeroOrStatus() {
    try (TestDaemon first = new TestDaemon()) {
      int port = first.server.address().getPort();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> ManagerServer.builder().bind("127.0.0.1").port(port).authkey(Authkeys.random()).unixPath("off").start());
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertTrue(e.getMessage().contains("--port 0") && e.getMessage().contains("status"), e.getMessage());
    }
  }

  @Test
  void aDurationWithoutAUnit_saysUnitsAreRequired_withAnExample() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.duration("3"));
    assertTrue(e.getMessage().contains("no unit") && e.getMessage().contains("3s"), e.getMessage());
    assertEquals(java.time.Duration.ofSeconds(3), ServerConfig.duration("3s"));
  }

  @Test
  void aMissingConfigFile_isNotFound(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(missing));
    assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void aWrongAuthkey_saysWhereTheClientsKeyCameFrom(@TempDir Path dir) throws Exception {
    Path other = dir.resolve("other-key");
    Files.write(other, Authkeys.random());
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
    try (TestDaemon daemon = new TestDaemon()) {
      AuthenticationException fromFile = assertThrows(AuthenticationException.class,
          () -> Manager.builder().address(daemon.server.address()).authkeyFile(other).connect());
      assertTrue(fromFile.getMessage().contains("wrong authkey") && fromFile.getMessage().contains(other.toString()),
          fromFile.getMessage());
      AuthenticationException given = assertThrows(AuthenticationException.class,
          () -> Manager.builder().address(daemon.server.address()).authkey(Authkeys.random()).connect());
      assertTrue(given.getMessage().contains("ManagerBuilder.authkey"), given.getMessage());
    }
  }

  @Test
  void theAllowlistHint_neverSuggestsAJdkPackageWildcard() {
    String jdk = FailureMapper.notAllowed("java.util.Collections$ReverseComparator");
    assertTrue(jdk.contains("serialization.allow"), jdk);
    assertFalse(jdk.contains("java.util.*"), jdk);
    String own = FailureMapper.notAllowed("com.example.Order");
    assertTrue(own.contains("com.example.*"), own);
  }

  /** A class this test's client has and the daemon does not: compiled here, loaded by a loader of its own. */
  @Test
  void aValueClassTheDaemonCannotLoad_pointsToLibDir(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("com/example/missing/Order.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, "package com.example.missing; public class Order { public int n = 1; }");
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), src.toString()));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        TestDaemon daemon = new TestDaemon(b -> b.allow("com.example.missing.*"))) {
      Object order = loader.loadClass("com.example.missing.Order").getConstructor().newInstance();
      SharedDict<String, Object> d = daemon.connect().dict("orders");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.put("o", order));
      assertTrue(e.getMessage().contains("com.example.missing.Order") && e.getMessage().contains("lib.dir"), e.getMessage());
      assertFalse(d.containsKey("o"));
    }
  }
}
