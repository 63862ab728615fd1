package io.jmanager.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The daemon's metrics, in Micrometer's Prometheus registry: calls by type and method (a timer:
 * count, latency histogram, max), errors by kind, sessions, objects and their sizes, parked calls,
 * bytes in and out, data bytes against the budget, and the JVM's heap, GC, threads and CPU. Object
 * sizes are read at scrape time, for at most {@link #MAX_OBJECT_SERIES} objects (the first by name;
 * {@code jmanager_objects} counts them all). It also keeps what the dashboard charts: calls per
 * second by type, sampled each second over the last {@link #HISTORY_SECONDS} seconds.
 */
public final class DaemonMetrics implements AutoCloseable {
  /** Objects whose size is exported one series each; more would make a scrape as big as the store. */
  public static final int MAX_OBJECT_SERIES = 1000;
  /** How far back the dashboard's chart of calls per second goes. */
  public static final int HISTORY_SECONDS = 300;

  /** Latency buckets of the call timers: 25 µs to 30 s, covering a cached read and a long wait. */
  private static final Duration[] BUCKETS = {
    Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
    Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
    Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
  };

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DaemonView view;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<Class<?>, Counter> errors = new ConcurrentHashMap<>();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final MultiGauge objectCounts;
  private final MultiGauge objectSizes;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  // the dashboard's history: written by sample(), read by the dashboard's state, both under this
  private final Map<String, long[]> callsPerSecond = new TreeMap<>();
  private final Map<String, Long> lastTypeCounts = new HashMap<>();
  private final Map<Long, Long> lastSessionCalls = new HashMap<>();
  private final Map<Long, Long> sessionCallsPerSecond = new HashMap<>();
  private long samples;
  private long lastSampleNanos;

  /**
   * Registers the metrics of the daemon {@code view} shows, with the JVM's own.
   *
   * @param view the daemon, read at scrape and sample time
   */
  public DaemonMetrics(DaemonView view) {
    this.view = view;
    Gauge.builder("jmanager.sessions", view, v -> v.sessions().size())
        .description("connected client sessions").register(registry);
    Gauge.builder("jmanager.parked.calls", view, DaemonView::parkedCalls)
        .description("calls parked on the daemon: takes, lock and permit waits, awaits").register(registry);
    Gauge.builder("jmanager.data", view, DaemonView::dataBytes).baseUnit("bytes")
        .description("data in use as max.data.bytes counts it").register(registry);
    Gauge.builder("jmanager.data.budget", view, DaemonView::dataBudget).baseUnit("bytes")
        .description("max.data.bytes").register(registry);
    FunctionCounter.builder("jmanager.received", bytesIn, LongAdder::sum).baseUnit("bytes")
        .description("bytes read from client connections").register(registry);
    FunctionCounter.builder("jmanager.sent", bytesOut, LongAdder::sum).baseUnit("bytes")
        .description("bytes written to client connections").register(registry);
    objectCounts = MultiGauge.builder("jmanager.objects").description("shared objects by type").register(registry);
    objectSizes = MultiGauge.builder("jmanager.object.size")
        .description("element count of each shared object (entries, items, length)").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * {@return the timer of calls to {@code method} of objects of type {@code type}} Created on first
   * use; look it up once and keep it.
   *
   * @param type a typeid
   * @param method a method name of that type
   */
  public Timer callTimer(String type, String method) {
    return timers.computeIfAbsent(type + '\u0000' + method, k -> Timer.builder("jmanager.calls")
        .description("calls answered, by the object's type and method; latency from receipt to answer")
        .tags("type", type, "method", method)
        .serviceLevelObjectives(BUCKETS)
        .register(registry));
  }

  /**
   * Counts a failed call by the kind of its exception (its simple class name).
   *
   * @param t the exception the call was answered with
   */
  public void error(Throwable t) {
    errors.computeIfAbsent(t.getClass(), c -> Counter.builder("jmanager.errors")
        .description("calls answered with an exception, by its kind")
        .tag("kind", c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName())
        .register(registry)).increment();
  }

  /**
   * Adds bytes read from a client connection.
   *
   * @param bytes the count read
   */
  public void received(long bytes) {
    bytesIn.add(bytes);
  }

  /**
   * Adds bytes written to a client connection.
   *
   * @param bytes the count written
   */
  public void sent(long bytes) {
    bytesOut.add(bytes);
  }

  /**
   * {@return the Prometheus exposition of every metric, object gauges refreshed first}
   *
   * @param accept the scraper's {@code Accept} header (OpenMetrics when it asks for it), or null
   */
  public String scrape(String accept) {
    refreshObjects();
    return accept == null ? registry.scrape() : registry.scrape(accept);
  }

  /**
   * {@return the content type {@link #scrape(String)} answers {@code accept} with: OpenMetrics or
   * the Prometheus text format}
   *
   * @param accept the scraper's {@code Accept} header, or null
   */
  public static String contentType(String accept) {
    return accept != null && accept.contains("application/openmetrics-text")
        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
        : "text/plain; version=0.0.4; charset=utf-8";
  }

  private void refreshObjects() {
    List<DaemonView.ObjectRow> objects = view.objects();
    Map<String, Integer> byType = new TreeMap<>();
    objects.forEach(o -> byType.merge(o.type(), 1, Integer::sum));
    objectCounts.register(byType.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("type", e.getKey()), e.getValue())).toList(), true);
    objectSizes.register(objects.stream().filter(o -> o.size() >= 0).sorted((a, b) -> a.name().compareTo(b.name()))
        .limit(MAX_OBJECT_SERIES)
        .map(o -> MultiGauge.Row.of(Tags.of("name", o.name(), "type", o.type()), o.size())).toList(), true);
  }

  /** Takes the dashboard's sample of calls per second; call it about once a second. */
  public synchronized void sample() {
    long now = System.nanoTime();
    double seconds = lastSampleNanos == 0 ? 1 : Math.max(1e-3, (now - lastSampleNanos) / 1e9);
    lastSampleNanos = now;
    Map<String, Long> counts = new HashMap<>();
    timers.values().forEach(t -> counts.merge(t.getId().getTag("type"), t.count(), Long::sum));
    int slot = (int) (samples % HISTORY_SECONDS);
    callsPerSecond.values().forEach(series -> series[slot] = 0);
    counts.forEach((type, count) -> {
      long before = lastTypeCounts.getOrDefault(type, samples == 0 ? count : 0L);
      callsPerSecond.computeIfAbsent(type, t -> new long[HISTORY_SECONDS])[slot] =
          Math.round((count - before) / seconds);
    });
    lastTypeCounts.putAll(counts);
    Map<Long, Long> calls = new HashMap<>();
    for (DaemonView.SessionRow s : view.sessions()) {
      calls.put(s.id(), s.calls());
      Long before = lastSessionCalls.get(s.id());
      sessionCallsPerSecond.put(s.id(), before == null ? 0 : Math.round((s.calls() - before) / seconds));
    }
    lastSessionCalls.keySet().retainAll(calls.keySet());
    sessionCallsPerSecond.keySet().retainAll(calls.keySet());
    lastSessionCalls.putAll(calls);
    samples++;
  }

  /**
   * {@return the dashboard's view of the daemon as JSON: the daemon, objects, sessions with calls
   * per second, lock holders and waiters with how long, and calls per second by type, oldest first}
   */
  public synchronized String stateJson() {
    long now = System.nanoTime();
    Json json = new Json().begin();
    json.field("version", view.version()).field("address", view.address())
        .field("parkedCalls", view.parkedCalls()).field("dataBytes", view.dataBytes())
        .field("dataBudget", view.dataBudget()).field("bytesIn", bytesIn.sum()).field("bytesOut", bytesOut.sum())
        .field("heapUsed", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
        .field("heapMax", Runtime.getRuntime().maxMemory());
    json.array("objects");
    for (DaemonView.ObjectRow o : view.objects()) {
      json.begin().field("name", o.name()).field("type", o.type()).field("size", o.size())
          .field("details", o.details()).end();
    }
    json.endArray().array("sessions");
    for (DaemonView.SessionRow s : view.sessions()) {
      json.begin().field("id", s.id()).field("pid", s.pid()).field("address", s.address()).field("calls", s.calls())
          .field("callsPerSecond", sessionCallsPerSecond.getOrDefault(s.id(), 0L)).end();
    }
    json.endArray().array("locks");
    for (DaemonView.PartyRow p : view.parties()) {
      json.begin().field("object", p.object()).field("type", p.type()).field("role", p.role())
          .field("session", p.sessionId()).field("pid", p.pid()).field("thread", p.thread())
          .field("seconds", p.sinceNanos() < 0 ? -1 : (now - p.sinceNanos()) / 1e9).end();
    }
    json.endArray();
    int points = (int) Math.min(samples, HISTORY_SECONDS);
    json.field("points", points).object("callsPerSecond");
    Map<String, List<Long>> series = new LinkedHashMap<>();
    callsPerSecond.forEach((type, ring) -> {
      List<Long> values = new ArrayList<>(points);
      for (long i = samples - points; i < samples; i++) {
        values.add(ring[(int) (i % HISTORY_SECONDS)]);
      }
      series.put(type, values);
    });
    series.forEach(json::numbers);
    return json.endObject().end().toString();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
