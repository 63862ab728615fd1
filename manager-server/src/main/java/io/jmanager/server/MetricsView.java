package io.jmanager.server;

import io.jmanager.client.ServerInfo;
import io.jmanager.server.metrics.DaemonView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The daemon as its metrics and dashboard read it. */
final class MetricsView implements DaemonView {
  private final ManagerServer server;

  MetricsView(ManagerServer server) {
    this.server = server;
  }

  @Override
  public String version() {
    return ManagerServer.VERSION;
  }

  @Override
  public String address() {
    return server.addressString();
  }

  @Override
  public List<ObjectRow> objects() {
    List<ObjectRow> rows = new ArrayList<>();
    for (ServerInfo.ObjectInfo o : server.registry().describe()) {
      rows.add(new ObjectRow(o.name(), o.typeid(), o.size(), o.details()));
    }
    return rows;
  }

  @Override
  public List<SessionRow> sessions() {
    List<SessionRow> rows = new ArrayList<>();
    server.sessions().forEach(s -> rows.add(new SessionRow(s.id(), s.pid(), s.remoteAddress(), s.info().calls())));
    rows.sort((a, b) -> Long.compare(a.id(), b.id()));
    return rows;
  }

  /** The registry's parties; a permit holder, recorded by session only, gets its session's pid. */
  @Override
  public List<PartyRow> parties() {
    Map<Long, Long> pids = new HashMap<>();
    server.sessions().forEach(s -> pids.put(s.id(), s.pid()));
    List<PartyRow> rows = new ArrayList<>();
    for (PartyRow p : server.registry().parties()) {
      rows.add(p.pid() >= 0 ? p : new PartyRow(p.object(), p.type(), p.role(), p.sessionId(),
          pids.getOrDefault(p.sessionId(), -1L), p.thread(), p.sinceNanos()));
    }
    return rows;
  }

  @Override
  public long parkedCalls() {
    long n = 0;
    for (Session s : server.sessions()) {
      n += s.parkedCount();
    }
    return n;
  }

  @Override
  public long dataBytes() {
    return server.budget().used();
  }

  @Override
  public long dataBudget() {
    return server.budget().budget();
  }
}
