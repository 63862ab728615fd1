package io.jmanager.server;

import io.jmanager.server.metrics.ByteCounter;
import io.jmanager.server.metrics.DaemonMetrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records calls into the daemon's metrics ({@code metrics.port}): each type's timers are looked up
 * once, by method id, so a call costs an identity-map lookup and the timer's record.
 */
final class Metering {
  private final DaemonMetrics metrics;
  private final Map<TypeSpec, Timer[]> timers = new ConcurrentHashMap<>();
  private final ByteCounter byteCounter;

  Metering(DaemonMetrics metrics) {
    this.metrics = metrics;
    this.byteCounter = new ByteCounter(metrics);
  }

  /** The handler that counts a connection's bytes (shared by all connections). */
  ByteCounter byteCounter() {
    return byteCounter;
  }

  DaemonMetrics metrics() {
    return metrics;
  }

  /** A call of {@code methodId} on a {@code spec} object, received at {@code startNanos}, was answered. */
  void answered(TypeSpec spec, int methodId, long startNanos) {
    Timer[] t = timers.get(spec);
    if (t == null) {
      t = timers.computeIfAbsent(spec, s -> new Timer[s.methodCount()]);
    }
    Timer timer = t[methodId];
    if (timer == null) {
      timer = t[methodId] = metrics.callTimer(spec.typeid(), spec.methodName(methodId));
    }
    timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** The same call failed with {@code failure}. */
  void failed(TypeSpec spec, int methodId, long startNanos, Throwable failure) {
    answered(spec, methodId, startNanos);
    metrics.error(failure);
  }

  /** A call failed before it reached an object (an unknown object or method, the data budget). */
  void failed(Throwable failure) {
    metrics.error(failure);
  }
}
