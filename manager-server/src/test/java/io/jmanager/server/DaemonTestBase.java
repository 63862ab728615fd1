package io.jmanager.server;

import io.jmanager.client.Manager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real daemon per test class, with two connections to it ({@code m} and {@code other}). */
abstract class DaemonTestBase {
  static TestDaemon daemon;
  static Manager m;
  static Manager other;

  @BeforeAll
  static void startDaemon() {
    daemon = new TestDaemon();
    m = daemon.connect();
    other = daemon.connect();
  }

  @AfterAll
  static void stopDaemon() {
    daemon.close();
  }
}
