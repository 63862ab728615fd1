package io.jmanager.server.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This daemon's Hazelcast member, the directory of the cluster's objects, the value codec and the
 * threads that serve calls on cluster objects (each such call waits for Hazelcast's answer, so none
 * runs on an event loop).
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  /** The directory: object name to its typeid and creation parameters, as codec bytes. */
  static final String DIRECTORY = "jmanager:objects";

  private final ClusterSettings settings;
  private final HazelcastInstance hz;
  private final ValueCodec codec;
  private final ThreadPoolExecutor calls;
  private final ThreadPoolExecutor waits;
  /** How often parked calls retry, in case an item event was missed (events are the fast path). */
  static final long RETRY_MILLIS = 200;
  /** How long a call waits for the CP subsystem to form once enough members have joined. */
  static final long CP_FORMING_SECONDS = 20;
  private final java.util.Set<Parking> parkedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The objects of this daemon that a {@link #signal} of their structure's name wakes. */
  private final java.util.Map<String, Parking> signalled = new java.util.concurrent.ConcurrentHashMap<>();
  /** The topic on which a daemon says that a structure changed in a way its waiters elsewhere wait for. */
  static final String SIGNALS = "jmanager:signals";
  private final java.util.concurrent.ScheduledExecutorService retries =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          new io.netty.util.concurrent.DefaultThreadFactory("jmanager-cluster-retry", true));

  private ClusterNode(ClusterSettings settings, HazelcastInstance hz, ValueCodec codec) {
    this.settings = settings;
    this.hz = hz;
    this.codec = codec;
    this.calls = new ThreadPoolExecutor(settings.threads(), settings.threads(), 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new io.netty.util.concurrent.DefaultThreadFactory("jmanager-cluster", true));
    this.calls.allowCoreThreadTimeOut(true);
    this.waits = new ThreadPoolExecutor(0, settings.waitThreads(), 30, TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), new io.netty.util.concurrent.DefaultThreadFactory("jmanager-cluster-wait", true));
    retries.scheduleWithFixedDelay(() -> parkedOn.forEach(q -> {
      if (q.hasParked()) {
        q.requestServe();
      }
    }), RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    hz.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {}

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
        try {
          calls.execute(() -> returnPermitsOf(event.getMember().getUuid()));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          // this daemon is stopping too: the ones that remain return the permits
        }
      }
    });
    hz.<String>getTopic(SIGNALS).addMessageListener(m -> {
      Parking p = signalled.get(m.getMessageObject());
      if (p != null && p.hasParked()) {
        p.requestServe();
      }
    });
  }

  /**
   * Something that parks calls on this daemon until the cluster's state lets them finish: the
   * node retries it while it has parked calls, and a {@link #signal} wakes it at once.
   */
  interface Parking {
    /** {@return whether calls are parked here} */
    boolean hasParked();

    /** Serves the parked calls that can finish now, on the cluster's threads. */
    void requestServe();
  }

  /** Each daemon's self-description, by member, for {@code status}; an entry outlives its daemon by {@link #ROSTER_TTL_SECONDS}. */
  static final String ROSTER = "jmanager:daemons";
  static final int ROSTER_TTL_SECONDS = 10;

  /**
   * Publishes what {@code self} says of this daemon (its client address, its sessions) every
   * second, for every daemon's {@code status}.
   *
   * @param self describes this daemon in one line
   */
  public void publish(Supplier<String> self) {
    String member = hz.getCluster().getLocalMember().getUuid().toString();
    retries.scheduleWithFixedDelay(() -> {
      try {
        hz.<String, String>getMap(ROSTER).set(member, hz.getCluster().getLocalMember().getAddress() + " " + self.get(),
            ROSTER_TTL_SECONDS, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        log.debug("cannot publish this daemon to the cluster's roster: {}", e.toString());
      }
    }, 0, 1, TimeUnit.SECONDS);
  }

  /** {@return the cluster as {@code status} shows it: members, partition and CP health, each daemon and its clients} */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    var members = hz.getCluster().getMembers();
    sb.append(String.format("cluster '%s': %d member(s), this one %s; partitions %s; cluster state %s%n", settings.name(),
        members.size(), hz.getCluster().getLocalMember().getAddress(),
        hz.getPartitionService().isClusterSafe() ? "safe (every backup in place)" : "NOT safe (backups migrating)",
        hz.getCluster().getClusterState()));
    if (settings.cpMembers() == 0) {
      sb.append(String.format("CP subsystem: UNSAFE mode (cluster.cp.members=0)%n"));
    } else {
      var cp = hz.getCPSubsystem().getCPSubsystemManagementService();
      String cpMembers;
      try {
        cpMembers = cp.isDiscoveryCompleted()
            ? cp.getCPMembers().toCompletableFuture().get(2, TimeUnit.SECONDS).size() + " CP member(s), formed"
            : "forming (needs " + settings.cpMembers() + " members)";
      } catch (Exception e) {
        cpMembers = "unknown (" + e.getMessage() + ")";
      }
      sb.append(String.format("CP subsystem: %s%n", cpMembers));
    }
    java.util.Map<String, String> roster = new java.util.TreeMap<>(hz.<String, String>getMap(ROSTER));
    for (var m : members) {
      String self = roster.get(m.getUuid().toString());
      sb.append(String.format("  member %s%s%n", self != null ? self : m.getAddress() + " (no report yet)",
          m.localMember() ? "  <- this daemon" : ""));
    }
    return sb.toString();
  }

  /** The caches whose evictions this member counts (their recordStats), by structure. */
  private final java.util.Set<String> evictionsCounted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** {@return true the first time for {@code structure}: then the caller counts its evictions here} */
  boolean countEvictionsOf(String structure) {
    return evictionsCounted.add(structure);
  }

  /**
   * Sets up every cache of the cluster on this member, now and as they are created: any member may
   * own a cache's entries, and evicts them by the cache's config, counting evictions where it does.
   */
  private void watchCaches() {
    ObjectDirectory directory = objects();
    directory.onAdded((name, entry) -> {
      if (entry.typeid().equals("cache")) {
        try {
          calls.execute(() -> configureCache(name, entry));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          // this daemon is stopping: it will own none of the cache's entries
        }
      }
    });
    directory.onRemoved(name -> evictionsCounted.remove(structure(name)));
    directory.ofTypes(java.util.Set.of("cache")).forEach(this::configureCache);
  }

  private void configureCache(String name, ObjectDirectory.Entry entry) {
    try {
      ClusterCache.configure(this, name, (String) entry.params()[0]);
    } catch (IllegalArgumentException | IllegalStateException e) {
      log.debug("the cluster's cache '{}' is one this member refuses (as its creator did): {}", name, e.toString());
    } catch (RuntimeException e) {
      log.warn("cannot set up the cluster's cache '{}' on this member: {}", name, e.toString());
    }
  }

  /** A daemon left: the semaphore permits its clients held come back. */
  private void returnPermitsOf(java.util.UUID gone) {
    try {
      ClusterSemaphore.memberLeft(this, objects().ofTypes(java.util.Set.of("semaphore", "bounded-semaphore")), gone);
    } catch (RuntimeException e) {
      log.warn("cannot return the semaphore permits of daemon {}, which left the cluster: {}", gone, e.toString());
    }
  }

  /** Retries {@code parking}'s parked calls every {@link #RETRY_MILLIS} ms while it has any. */
  void retryWhileWaiting(Parking parking) {
    parkedOn.add(parking);
  }

  /**
   * Wakes {@code parking} whenever any daemon {@linkplain #signal signals} {@code structure}, and
   * retries it every {@link #RETRY_MILLIS} ms while it has parked calls (a signal is not
   * guaranteed to arrive: a daemon may die between its change and its signal).
   */
  void wakeOnSignal(String structure, Parking parking) {
    signalled.put(structure, parking);
    parkedOn.add(parking);
  }

  /** Stops waking {@code parking} (its object was deleted). */
  void forget(String structure, Parking parking) {
    signalled.remove(structure, parking);
    parkedOn.remove(parking);
  }

  /** Tells every daemon that {@code structure} changed (a permit came back, the last task was done). */
  void signal(String structure) {
    hz.<String>getTopic(SIGNALS).publish(structure);
  }

  /**
   * Starts this daemon's member and joins the cluster.
   *
   * @param settings how to join
   * @param kryos makes Kryos as the wire's, for the stored bytes
   * @param maxBytes the largest value ({@code max.frame.bytes})
   * @param maxDepth the deepest value ({@code max.depth})
   * @return the started node
   * @throws IllegalStateException if Hazelcast is not on the classpath or the member cannot start
   */
  public static ClusterNode start(ClusterSettings settings, Supplier<Kryo> kryos, int maxBytes, int maxDepth) {
    try {
      Class.forName("com.hazelcast.core.Hazelcast", false, ClusterNode.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cluster mode needs com.hazelcast:hazelcast:5.4.0 on the daemon's classpath"
          + " (bin/jmanager and the distribution bring it; an embedding program adds the dependency)");
    }
    HazelcastInstance hz;
    try {
      hz = Hazelcast.newHazelcastInstance(config(settings));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start the cluster member on " + settings.bind() + ":" + settings.port()
          + " (cluster.bind, cluster.port): " + e.getMessage(), e);
    }
    if (settings.cpMembers() == 0) {
      log.warn("cluster '{}': the CP subsystem runs in its UNSAFE mode (cluster.cp.members=0): counters are not"
          + " replicated by Raft, and a member's loss can lose or split them", settings.name());
    }
    log.info("cluster '{}': member {} joined, {} member(s)", settings.name(), hz.getCluster().getLocalMember().getAddress(),
        hz.getCluster().getMembers().size());
    ClusterNode node = new ClusterNode(settings, hz, new ValueCodec(kryos, maxBytes, maxDepth));
    node.watchCaches();
    return node;
  }

  private static Config config(ClusterSettings s) {
    Config c = new Config();
    c.setClusterName(s.name());
    c.setInstanceName("jmanager-" + s.bind() + "-" + s.port());
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.shutdownhook.enabled", "false"); // the daemon closes it
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    // a stopping daemon hands its partitions over for at most this long (Hazelcast waits 10 minutes)
    c.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
    NetworkConfig net = c.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface(s.bind());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true);
    tcp.addMember(s.bind() + ":" + s.port());
    s.members().forEach(tcp::addMember);
    c.getCPSubsystemConfig().setCPMemberCount(s.cpMembers());
    if (s.cpMembers() > 0) {
      // a dead daemon's CP session (its permits) ends within seconds, not Hazelcast's default 5 minutes
      c.getCPSubsystemConfig().setSessionHeartbeatIntervalSeconds(1).setSessionTimeToLiveSeconds(10);
    }
    return c;
  }

  /**
   * Fails at once, with what to do, while the CP subsystem (behind counters) has not formed:
   * before {@code cluster.cp.members} daemons joined, its calls would wait instead.
   *
   * @throws IllegalStateException if the CP subsystem is not ready
   */
  void requireCp() {
    if (settings.cpMembers() == 0) {
      return;
    }
    var cp = hz.getCPSubsystem().getCPSubsystemManagementService();
    boolean enough = hz.getCluster().getMembers().size() >= settings.cpMembers();
    try {
      if (enough && !cp.isDiscoveryCompleted()) {
        cp.awaitUntilDiscoveryCompleted(CP_FORMING_SECONDS, TimeUnit.SECONDS); // enough members: it is forming
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!cp.isDiscoveryCompleted()) {
      throw new IllegalStateException("the cluster's CP subsystem, which counters need, forms when "
          + settings.cpMembers() + " daemons have joined (cluster.cp.members=" + settings.cpMembers() + "); "
          + hz.getCluster().getMembers().size() + " have: start more daemons in cluster '" + settings.name()
          + "', or set cluster.cp.members=0 for its unsafe mode (one or two daemons, development only)");
    }
  }

  /**
   * Checks that a structure's config in the cluster, if any, is the one an object needs: Hazelcast
   * keeps a structure's config for the cluster's life, so a deleted object's name keeps its bound.
   *
   * @param configured what the cluster's config for the structure says; null if it has none
   * @param wanted what the object needs
   * @param object the object, for the message
   * @param parameter the parameter the config holds, for the message
   * @throws IllegalStateException if they differ
   */
  void requireSameConfig(Integer configured, int wanted, String object, String parameter) {
    if (configured != null && configured != wanted) {
      throw new IllegalStateException(object + " was created in this cluster before with another " + parameter
          + ", and the cluster keeps a structure's " + parameter + " for its whole life (Hazelcast's dynamic config):"
          + " use another name, or that " + parameter);
    }
  }

  /** {@return the Hazelcast member} */
  public HazelcastInstance hazelcast() {
    return hz;
  }

  /** {@return the codec of stored keys and values} */
  public ValueCodec codec() {
    return codec;
  }

  /** {@return the threads serving calls on cluster objects} */
  public ExecutorService calls() {
    return calls;
  }

  /** {@return the threads that wait for locks and semaphores held through other daemons (bounded: it rejects past its size)} */
  public java.util.concurrent.Executor waits() {
    return waits;
  }

  /** {@return the cluster's settings} */
  public ClusterSettings settings() {
    return settings;
  }

  /** {@return the directory map: name to codec bytes of typeid and creation parameters} */
  IMap<String, byte[]> directory() {
    return hz.getMap(DIRECTORY);
  }

  /** {@return the directory of the cluster's objects} */
  public ObjectDirectory objects() {
    return new HazelcastDirectory(this);
  }

  /** {@return the name of the Hazelcast structure holding object {@code name}'s state} */
  public static String structure(String name) {
    return "jm:" + name;
  }

  /**
   * Stops this member at once, handing nothing over: what a crash would do. For tests that stop
   * whole clusters, and for a daemon that must stop now.
   */
  public void terminate() {
    retries.shutdownNow();
    waits.shutdownNow();
    calls.shutdownNow();
    hz.getLifecycleService().terminate();
  }

  /** Leaves the cluster (the others keep its data: backups) and stops the threads. */
  @Override
  public void close() {
    retries.shutdownNow();
    waits.shutdownNow();
    try {
      hz.getMap(ROSTER).delete(hz.getCluster().getLocalMember().getUuid().toString());
    } catch (RuntimeException e) {
      // the cluster is going down too: its entry expires
    }
    calls.shutdownNow();
    hz.shutdown();
  }
}
