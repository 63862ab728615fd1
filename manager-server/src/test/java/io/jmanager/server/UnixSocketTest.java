package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.client.AuthenticationException;
import io.jmanager.client.ConnectionLostException;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.client.WorkerProcess;
import io.jmanager.common.Authkeys;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's Unix socket: owner-only, authenticated, the same objects, handed to workers. */
class UnixSocketTest {
  @TempDir Path dir;

  @Test
  void unixSocket_servesTheSameObjects_ownerOnly_removedOnClose() throws Exception {
    Path sock = dir.resolve("d.sock");
    try (TestDaemon daemon = new TestDaemon(b -> b.unixPath(sock.toString()))) {
      assertEquals(Optional.of(sock), daemon.server.unixSocket());
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(sock));
      try (Manager unix = Manager.builder().address("unix:" + sock).authkey(daemon.authkey).connect()) {
        assertEquals("unix:" + sock, unix.address());
        unix.<String, String>dict("u").put("k", "v");
        assertEquals("v", daemon.connect().dict("u").get("k"), "a TCP client sees the same object");
        assertTrue(unix.info().sessions().stream().anyMatch(s -> s.remoteAddress().equals("unix:" + sock)),
            "the daemon sees the session on its Unix socket");
      }
      assertThrows(AuthenticationException.class,
          () -> Manager.builder().address("unix:" + sock).authkey(Authkeys.random()).connect());
    }
    assertFalse(Files.exists(sock), "the socket file is removed when the daemon stops");
  }

  @Test
  void addressList_triesEachInOrder() {
    Path sock = dir.resolve("d.sock");
    try (TestDaemon daemon = new TestDaemon(b -> b.unixPath(sock.toString()))) {
      String addresses = "unix:" + dir.resolve("nobody-here.sock") + "," + daemon.address();
      try (Manager m = Manager.builder().address(addresses).authkey(daemon.authkey).connect()) {
        assertEquals(daemon.address(), m.address());
      }
      ConnectionLostException e = assertThrows(ConnectionLostException.class,
          () -> Manager.builder().address("unix:" + dir.resolve("a.sock") + ",unix:" + dir.resolve("b.sock"))
              .authkey(daemon.authkey).connect());
      assertTrue(e.getMessage().contains("a.sock") && e.getMessage().contains("b.sock"), e.getMessage());
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Manager.connect("unix:"));
      assertTrue(bad.getMessage().contains("unix:/path"), bad.getMessage());
    }
  }

  @Test
  void workerProcess_isHandedTheUnixSocket_andUsesIt() throws Exception {
    Path sock = dir.resolve("d.sock");
    try (TestDaemon daemon = new TestDaemon(b -> b.unixPath(sock.toString()))) {
      Manager tcp = daemon.connect();
      WorkerProcess w = WorkerProcess.of(Workers.AddressReporter.class, "where").manager(tcp)
          .jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start();
      try {
        assertTrue(w.join(Duration.ofSeconds(60)));
        assertEquals(0, w.exitCode().getAsInt());
      } finally {
        w.kill();
      }
      SharedDict<String, String> where = tcp.dict("where");
      assertEquals("unix:" + sock + "," + daemon.address(), where.get("env"), "JMANAGER_ADDRESS: the socket first");
      assertEquals("unix:" + sock, where.get("connected"));

      // and an explicit unix: address through JMANAGER_ADDRESS
      WorkerProcess explicit = WorkerProcess.of(Workers.AddressReporter.class, "where2")
          .manager("unix:" + sock, daemon.authkey).jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1").start();
      try {
        assertTrue(explicit.join(Duration.ofSeconds(60)));
        assertEquals(0, explicit.exitCode().getAsInt());
      } finally {
        explicit.kill();
      }
      assertEquals("unix:" + sock, tcp.dict("where2").get("connected"));
    }
  }

  @Test
  void staleSocketFile_isReplaced_liveOneIsRefused() throws Exception {
    Path sock = dir.resolve("d.sock");
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(sock));
    } // closed: the file stays behind, as after a crash
    assertTrue(Files.exists(sock));
    try (TestDaemon daemon = new TestDaemon(b -> b.unixPath(sock.toString()))) {
      try (Manager m = Manager.builder().address("unix:" + sock).authkey(daemon.authkey).connect()) {
        assertTrue(m.isConnected());
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TestDaemon(b -> b.unixPath(sock.toString())));
      assertTrue(e.getMessage().contains("another daemon listens on"), e.getMessage());
      try (Manager m = Manager.builder().address("unix:" + sock).authkey(daemon.authkey).connect()) {
        assertTrue(m.isConnected(), "the refused second daemon did not take the first one's socket");
      }
    }
  }

  @Test
  void aStartingDaemon_removesSocketFilesOfKilledDaemons_andLeavesLiveOnes() throws Exception {
    Path dir = Authkeys.defaultFile().toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path stale = dir.resolve("jmanager-1.sock");
    Path live = dir.resolve("jmanager-2.sock");
    Files.deleteIfExists(stale);
    Files.deleteIfExists(live);
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(stale));
      gone.close(); // as a killed daemon leaves it: the file, and nobody listening
      listening.bind(UnixDomainSocketAddress.of(live));
      java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000);
      Files.setLastModifiedTime(stale, old);
      Files.setLastModifiedTime(live, old);
      try (TestDaemon daemon = new TestDaemon()) {
        assertFalse(Files.exists(stale), "the killed daemon's socket file is removed");
        assertTrue(Files.exists(live), "a daemon that answers keeps its socket file");
        assertTrue(daemon.server.unixSocket().isPresent());
      }
    } finally {
      Files.deleteIfExists(stale);
      Files.deleteIfExists(live);
    }
  }
}
