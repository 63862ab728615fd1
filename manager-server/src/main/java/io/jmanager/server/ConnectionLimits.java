package io.jmanager.server;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many connections the daemon holds ({@code max.connections}), and how many of them may still
 * be unauthenticated ({@code max.unauthenticated}). A connection beyond the first limit is closed
 * at once. Beyond the second, the <em>oldest</em> unauthenticated connection is closed rather than
 * the new one: a flood of idle sockets cannot lock honest clients out, since they authenticate in
 * milliseconds and leave the count. What is refused or evicted is logged at most once per ten
 * seconds, with counts. Thread-safe.
 */
final class ConnectionLimits {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int maxConnections;
  private final int maxUnauthenticated;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentLinkedDeque<Channel> unauthenticated = new ConcurrentLinkedDeque<>();
  private final AtomicInteger unauthenticatedCount = new AtomicInteger();
  private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS; // guarded by this
  private int refused; // guarded by this
  private int evicted; // guarded by this

  ConnectionLimits(int maxConnections, int maxUnauthenticated) {
    this.maxConnections = maxConnections;
    this.maxUnauthenticated = maxUnauthenticated;
  }

  /**
   * A new connection: counts it and, if it fits, returns true (evicting the oldest unauthenticated
   * connection if there are now too many); false if the daemon is full, and the caller closes it.
   */
  boolean admit(Channel ch) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      note(true);
      return false;
    }
    ch.closeFuture().addListener(f -> {
      open.decrementAndGet();
      authenticated(ch);
    });
    unauthenticated.addLast(ch);
    if (unauthenticatedCount.incrementAndGet() > maxUnauthenticated) {
      Channel oldest = unauthenticated.pollFirst();
      if (oldest != null) {
        unauthenticatedCount.decrementAndGet();
        oldest.close();
        note(false);
      }
    }
    return true;
  }

  /** {@code ch} has authenticated (or closed): it no longer counts as unauthenticated. */
  void authenticated(Channel ch) {
    if (unauthenticated.remove(ch)) {
      unauthenticatedCount.decrementAndGet();
    }
  }

  int open() {
    return open.get();
  }

  int unauthenticated() {
    return unauthenticatedCount.get();
  }

  private synchronized void note(boolean refusedFull) {
    if (refusedFull) {
      refused++;
    } else {
      evicted++;
    }
    long now = System.nanoTime();
    if (now - lastLogNanos >= LOG_EVERY_NANOS) {
      log.warn("connection limits: {} refused (max.connections={}), {} unauthenticated closed to make room "
          + "(max.unauthenticated={}) since the last such line", refused, maxConnections, evicted, maxUnauthenticated);
      lastLogNanos = now;
      refused = 0;
      evicted = 0;
    }
  }
}
