package io.jmanager.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many connections the daemon holds ({@code max.connections}), and how many of them may still
 * be unauthenticated: in total ({@code max.unauthenticated}) and from one IP address ({@code
 * max.unauthenticated.per.address}). A connection beyond the first limit is closed at once. Beyond
 * the others, the <em>oldest</em> unauthenticated connection (of that address, or of all) is closed
 * rather than the new one: a flood of idle sockets cannot lock honest clients out, since they
 * authenticate in milliseconds and leave the count. A connection closed for its own address's
 * limit counts as a failed handshake of that address ({@link HandshakeFailures}). Unix-socket
 * connections have no IP address: only the total bounds them. Refusals and evictions for the
 * totals are logged at most once per interval, with counts. Thread-safe.
 */
final class ConnectionLimits {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);

  private final int maxConnections;
  private final int maxUnauthenticated;
  private final int maxUnauthenticatedPerAddress;
  private final HandshakeFailures failures;
  private final long logEveryNanos;
  private final AtomicInteger open = new AtomicInteger();
  /** Unauthenticated connections, oldest first, with their IP (null: Unix socket). Guarded by this. */
  private final LinkedHashMap<Channel, InetAddress> unauthenticated = new LinkedHashMap<>();
  /** The same connections by IP, oldest first. Guarded by this. */
  private final Map<InetAddress, LinkedHashSet<Channel>> byAddress = new HashMap<>();
  private long lastLogNanos; // guarded by this
  private int refused; // guarded by this
  private int evicted; // guarded by this

  ConnectionLimits(ServerConfig c, HandshakeFailures failures) {
    this.maxConnections = c.maxConnections;
    this.maxUnauthenticated = c.maxUnauthenticated;
    this.maxUnauthenticatedPerAddress = c.maxUnauthenticatedPerAddress;
    this.failures = failures;
    this.logEveryNanos = c.handshakeFailureInterval.toNanos();
    this.lastLogNanos = System.nanoTime() - logEveryNanos;
  }

  /**
   * A new connection: counts it and, if it fits, returns true (closing the oldest unauthenticated
   * connection of its address, or of all, if there are now too many); false if the daemon is full,
   * and the caller closes it.
   */
  boolean admit(Channel ch) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      note(true);
      return false;
    }
    InetAddress ip = HandshakeFailures.remoteIp(ch);
    Channel sameAddress = null;
    Channel oldest = null;
    synchronized (this) {
      unauthenticated.put(ch, ip);
      if (ip != null) {
        LinkedHashSet<Channel> mine = byAddress.computeIfAbsent(ip, k -> new LinkedHashSet<>());
        mine.add(ch);
        if (mine.size() > maxUnauthenticatedPerAddress) {
          sameAddress = mine.iterator().next();
          forget(sameAddress);
        }
      }
      if (unauthenticated.size() > maxUnauthenticated) {
        oldest = unauthenticated.keySet().iterator().next();
        forget(oldest);
      }
    }
    // after the bookkeeping: a channel closed already runs this at once
    ch.closeFuture().addListener(f -> {
      open.decrementAndGet();
      authenticated(ch);
    });
    if (sameAddress != null) {
      sameAddress.close();
      failures.failed(ip, HandshakeFailures.Kind.EVICTED, "max.unauthenticated.per.address=" + maxUnauthenticatedPerAddress);
    }
    if (oldest != null) {
      oldest.close();
      note(false);
    }
    return true;
  }

  /** {@code ch} has authenticated (or closed): it no longer counts as unauthenticated. */
  synchronized void authenticated(Channel ch) {
    forget(ch);
  }

  private void forget(Channel ch) {
    if (!unauthenticated.containsKey(ch)) {
      return;
    }
    InetAddress ip = unauthenticated.remove(ch);
    if (ip != null) {
      LinkedHashSet<Channel> mine = byAddress.get(ip);
      mine.remove(ch);
      if (mine.isEmpty()) {
        byAddress.remove(ip);
      }
    }
  }

  int open() {
    return open.get();
  }

  synchronized int unauthenticated() {
    return unauthenticated.size();
  }

  /** Unauthenticated connections from {@code ip}. */
  synchronized int unauthenticated(InetAddress ip) {
    LinkedHashSet<Channel> mine = byAddress.get(ip);
    return mine == null ? 0 : mine.size();
  }

  private synchronized void note(boolean refusedFull) {
    if (refusedFull) {
      refused++;
    } else {
      evicted++;
    }
    long now = System.nanoTime();
    if (now - lastLogNanos >= logEveryNanos) {
      log.warn("connection limits: {} refused (max.connections={}), {} unauthenticated closed to make room "
          + "(max.unauthenticated={}) since the last such line", refused, maxConnections, evicted, maxUnauthenticated);
      lastLogNanos = now;
      refused = 0;
      evicted = 0;
    }
  }
}
