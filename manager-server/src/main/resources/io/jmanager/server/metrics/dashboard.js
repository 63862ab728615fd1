// The jmanager dashboard: polls /api/state each second and redraws. Text goes in with textContent only.
(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token');
  var query = token ? '?token=' + encodeURIComponent(token) : '';
  var colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var refreshes = 0;
  document.getElementById('metrics').href = 'metrics' + query;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function fill(id, rows, columns, empty) {
    var body = document.querySelector('#' + id + ' tbody');
    body.textContent = '';
    if (rows.length === 0) {
      var tr = el('tr'), td = el('td', empty, 'empty');
      td.colSpan = columns;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) {
        tr.appendChild(typeof c === 'number' ? el('td', c.toLocaleString(), 'n') : el('td', c));
      });
      body.appendChild(tr);
    });
  }

  function bytes(n) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function seconds(s) {
    if (s < 0) return '';
    if (s < 60) return s.toFixed(1) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.floor(s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
  }

  function chart(series, points) {
    var svg = document.getElementById('chart'), legend = document.getElementById('legend');
    var ns = 'http://www.w3.org/2000/svg', w = 900, h = 180, pad = 28;
    svg.textContent = '';
    legend.textContent = '';
    document.getElementById('span').textContent = points;
    var types = Object.keys(series), max = 1;
    types.forEach(function (t) { series[t].forEach(function (v) { if (v > max) max = v; }); });
    var axis = document.createElementNS(ns, 'text');
    axis.setAttribute('x', 4); axis.setAttribute('y', 14); axis.setAttribute('font-size', '11');
    axis.textContent = max.toLocaleString() + '/s';
    svg.appendChild(axis);
    types.forEach(function (t, i) {
      var values = series[t], color = colors[i % colors.length];
      if (values.length === 0) return;
      var step = (w - pad) / Math.max(1, values.length - 1), coords = values.map(function (v, j) {
        return (pad + j * step).toFixed(1) + ',' + (h - 4 - (h - 24) * v / max).toFixed(1);
      });
      var line = document.createElementNS(ns, 'polyline');
      line.setAttribute('points', coords.join(' '));
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', color);
      line.setAttribute('stroke-width', '1.5');
      line.setAttribute('data-type', t);
      svg.appendChild(line);
      var key = el('span'), swatch = el('i');
      swatch.style.background = color;
      key.appendChild(swatch);
      key.appendChild(document.createTextNode(t + ' ' + values[values.length - 1].toLocaleString() + '/s'));
      legend.appendChild(key);
    });
  }

  function render(s) {
    document.getElementById('address').textContent = s.address + ' (' + s.version + ')';
    var summary = document.getElementById('summary');
    summary.textContent = '';
    [['objects', s.objects.length], ['sessions', s.sessions.length], ['parked calls', s.parkedCalls],
     ['data', bytes(s.dataBytes) + ' of ' + bytes(s.dataBudget)], ['heap', bytes(s.heapUsed) + ' of ' + bytes(s.heapMax)],
     ['in', bytes(s.bytesIn)], ['out', bytes(s.bytesOut)], ['updated', new Date().toLocaleTimeString()]]
      .forEach(function (kv) { summary.appendChild(el('span', kv[0] + ': ' + kv[1])); });
    fill('objects', s.objects.map(function (o) { return [o.name, o.type, o.size < 0 ? '' : o.size, o.details]; }),
      4, 'no objects');
    // ids (sessions, pids, threads) are names, not quantities: no thousands separators
    fill('sessions', s.sessions.map(function (x) { return [String(x.id), String(x.pid), x.address, x.calls, x.callsPerSecond]; }),
      5, 'no sessions');
    fill('locks', s.locks.map(function (l) {
      return [l.object, l.type, l.role, String(l.session), l.pid < 0 ? '' : String(l.pid), l.thread < 0 ? '' : String(l.thread),
        seconds(l.seconds)];
    }), 7, 'no lock is held or awaited');
    chart(s.callsPerSecond, s.points);
    refreshes++;
    document.body.setAttribute('data-refreshes', refreshes);
  }

  function refresh() {
    fetch('api/state' + query, { cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) return r.text().then(function (t) { throw new Error(r.status + ': ' + t); });
        return r.json();
      })
      .then(function (s) { document.getElementById('error').textContent = ''; render(s); })
      .catch(function (e) { document.getElementById('error').textContent = 'cannot refresh: ' + e.message; })
      .then(function () { setTimeout(refresh, 1000); });
  }
  refresh();
})();
