// The gateway's live dashboard. Plain browser JavaScript served as is from the jar: no framework, no build step.
// Meter numbers, point names and values come from configuration files and devices, so they only ever reach the
// page as text (textContent, new Option), never as HTML.
'use strict';

(() => {
  const STREAM_URL = '/api/sse/meters';
  const METERS_URL = '/api/meters';
  const CLIENTS_URL = '/api/sse/clients?limit=50';
  const ALERTS_URL = '/api/alerts';
  const SESSION_URL = '/api/session';
  const MAX_ALERT_HISTORY = 20;      // cleared alerts kept on the page; active ones are all shown
  const SEVERITIES = ['info', 'warning', 'critical'];
  // The trend's ranges: the last hour from the stored readings, longer ones from time buckets of the history API.
  const RANGES = {
    '1h': { ms: 3600 * 1000, interval: null, minuteTicks: 10 },
    '24h': { ms: 24 * 3600 * 1000, interval: '5m', minuteTicks: 180 },
    '7d': { ms: 7 * 24 * 3600 * 1000, interval: '1h', minuteTicks: 1440 },
  };
  const MAX_SAMPLES = 3000;          // per point: bounds memory whatever the poll rate
  const HISTORY_PAGES = 4;           // of at most 10000 readings: what a page of one point's hour can need
  const REFRESH_EVERY_MS = 5000;
  const MAX_NOTICES = 8;
  const STATUSES = ['CONNECTED', 'DISCONNECTED', 'ERROR'];
  const NUMBER = /^([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?:\s+(.+))?$/;
  const FLASH = [{ backgroundColor: '#fff5c2' }, { backgroundColor: 'transparent' }];

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  dropTokenFromAddressBar();

  // meterNo -> { meterNo, status, lastSeen, readingAt, values, numeric, history, dom }
  const meters = new Map();
  // Readings are stamped by the gateway's clock, which on a field device may differ from this browser's:
  // ages and the trend window use the gateway's time, estimated from its connected and heartbeat events.
  let clockOffsetMs = 0;
  const gatewayNow = () => Date.now() + clockOffsetMs;

  const stream = {
    source: null,
    state: 'connecting',
    lastEventId: '',
    lastEventAt: 0,
    heartbeatMs: 30000,
    clientId: null,
    liveSince: 0,
    failures: 0,
    retryTimer: 0,
  };
  // alertId -> the occurrence as GET /api/alerts lists it, kept up to date by the stream's alert events
  const alerts = new Map();
  // What this page's token may do (GET /api/session); writes are offered only when it may write.
  let session = { write: false };
  const trend = { chart: null, meterNo: null, point: null, pending: false, range: '1h', loaded: null, loading: 0 };
  const windowMs = () => RANGES[trend.range].ms;

  // --- The access token -------------------------------------------------------------------------------------

  // Opening /?access_token=T made the gateway set an HttpOnly cookie that authenticates every later request of
  // this page. The token must not linger in the address bar, history, bookmarks or screenshots.
  function dropTokenFromAddressBar() {
    const url = new URL(window.location.href);
    if (url.searchParams.has('access_token')) {
      url.searchParams.delete('access_token');
      history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
  }

  // --- The stream -------------------------------------------------------------------------------------------

  function connect() {
    clearTimeout(stream.retryTimer);
    if (stream.source) stream.source.close();
    // EventSource sends Last-Event-ID by itself when it reconnects; a new EventSource (after the stream was
    // closed for good) starts without it, so the first request carries it as a query parameter.
    const url = stream.lastEventId
      ? STREAM_URL + '?lastEventId=' + encodeURIComponent(stream.lastEventId) : STREAM_URL;
    const es = new EventSource(url);
    stream.source = es;
    on(es, 'connected', onConnected);
    on(es, 'meter-status', onStatus);
    on(es, 'data', onReading);
    on(es, 'heartbeat', onHeartbeat);
    on(es, 'notification', onNotification);
    on(es, 'alert', onAlert);
    // One name, two things: the gateway's own "error" events carry data; the browser's connection errors do not.
    es.addEventListener('error', (e) => {
      if (es !== stream.source) return;
      if (e instanceof MessageEvent) {
        handle(e, onServerError);
      } else if (es.readyState === EventSource.CONNECTING) {
        setStreamState('reconnecting', 'the browser reconnects by itself and resumes where it stopped');
      } else {
        streamClosed();
      }
    });
  }

  function on(es, name, handler) {
    es.addEventListener(name, (e) => {
      if (es === stream.source) handle(e, handler);
    });
  }

  function handle(e, handler) {
    if (e.lastEventId) stream.lastEventId = e.lastEventId;
    stream.lastEventAt = Date.now();
    let payload;
    try {
      payload = JSON.parse(e.data);
    } catch (err) {
      addNotice('warn', 'unreadable "' + e.type + '" event from the gateway');
      return;
    }
    handler(payload);
  }

  function onConnected(c) {
    syncClock(c.timestamp);
    stream.heartbeatMs = Math.max(1, Number(c.heartbeatSeconds) || 30) * 1000;
    stream.clientId = c.clientId === undefined ? null : String(c.clientId);
    stream.liveSince = Date.now();
    stream.failures = 0;
    setStreamState('live');
    // Anything but a resume starts from a snapshot: after a gateway restart the configured meters may differ.
    if (c.resume !== 'resumed') {
      dropMetersTheGatewayNoLongerHas();
      loadAlerts(); // a fresh start misses what happened meanwhile: take the list again
    }
  }

  function onHeartbeat(h) {
    syncClock(h.timestamp);
  }

  function onServerError(err) {
    if (err.code === 'replay-gap') {
      addNotice('info', 'Events missed while away are no longer buffered (gateway restarted or a long outage):'
        + ' the tables were refreshed from a fresh snapshot; the trend may lack changes from that time.');
    } else if (err.code === 'slow-consumer') {
      addNotice('warn', 'The gateway cut this page off as too slow; it resumes from its last event.');
    } else {
      addNotice('warn', String(err.code) + ': ' + String(err.message));
    }
  }

  function onNotification(n) {
    const from = n.from ? ' (from ' + n.from + ')' : '';
    addNotice('info', 'Notification' + from + ': ' + String(n.message), n.timestamp);
  }

  // EventSource gives up for good when an answer is not a stream (401, 503...). Find out why, say so, and
  // start over with a growing pause; the new stream resumes from the last event id.
  async function streamClosed() {
    stream.failures += 1;
    const delay = Math.min(30000, 1000 * 2 ** Math.min(stream.failures - 1, 5));
    let state = 'disconnected';
    let why = 'the stream was closed';
    try {
      const r = await fetch(METERS_URL, { cache: 'no-store' });
      if (r.status === 401) {
        state = 'unauthorised';
        why = 'the access token is missing or no longer valid: open this page as /?access_token=YOUR_TOKEN';
      } else if (!r.ok) {
        why = 'the gateway answered HTTP ' + r.status;
      }
    } catch (err) {
      why = 'the gateway is not reachable';
    }
    setStreamState(state, why + '; trying again in ' + Math.round(delay / 1000) + ' s');
    stream.retryTimer = setTimeout(connect, delay);
  }

  // A connection can die without an error (a cable pulled between here and the gateway). Heartbeats arrive at
  // least every heartbeatSeconds, so a silence of two periods means the stream is gone: start a new one.
  function checkSilence() {
    if (stream.state === 'live' && Date.now() - stream.lastEventAt > 2 * stream.heartbeatMs + 5000) {
      addNotice('warn', 'No event or heartbeat for ' + Math.round((Date.now() - stream.lastEventAt) / 1000)
        + ' s: reconnecting.');
      setStreamState('reconnecting', 'the stream went silent');
      connect();
    }
  }

  function setStreamState(state, detail) {
    stream.state = state;
    const labels = {
      connecting: 'CONNECTING', live: 'LIVE', reconnecting: 'RECONNECTING',
      disconnected: 'DISCONNECTED', unauthorised: 'NO ACCESS',
    };
    const badge = $('stream-state');
    badge.textContent = labels[state];
    badge.className = 'badge stream-' + state;
    $('stream-detail').textContent = detail || '';
    document.body.classList.toggle('stream-down', state !== 'live');
    if (state === 'live') renderStreamDetail();
  }

  function renderStreamDetail() {
    if (stream.state !== 'live') return;
    const client = stream.clientId ? 'client ' + stream.clientId + ' · ' : '';
    $('stream-detail').textContent = client + 'live since ' + clock(stream.liveSince)
      + ' · last event ' + ago(Date.now() - stream.lastEventAt);
  }

  function syncClock(timestamp) {
    const t = Date.parse(timestamp);
    if (!Number.isNaN(t)) clockOffsetMs = t - Date.now();
  }

  // --- Meters ------------------------------------------------------------------------------------------------

  function meter(meterNo) {
    let m = meters.get(meterNo);
    if (m) return m;
    m = {
      meterNo,
      status: null,
      lastSeen: null,
      readingAt: null,
      values: new Map(),      // point -> display string, as the gateway sent it
      numeric: [],            // points with numeric values, in the gateway's order
      history: new Map(),     // point -> [{x: ms, y: number}], changes only
      units: new Map(),       // point -> unit
      dom: buildMeter(meterNo),
    };
    meters.set(meterNo, m);
    loadWritable(m);
    $('no-meters').hidden = true;
    $('chart-meter').append(new Option(meterNo, meterNo));
    if (trend.meterNo === null) chooseTrend(meterNo, null);
    return m;
  }

  function buildMeter(meterNo) {
    const row = el('tr');
    row.dataset.meter = meterNo;
    const name = el('th', null, meterNo);
    name.scope = 'row';
    const status = el('span', 'status', '');
    const statusCell = el('td');
    statusCell.append(status);
    const lastSeen = el('td', 'time');
    const reading = el('td', 'time');
    const points = el('td', 'num', '0');
    row.append(name, statusCell, lastSeen, reading, points);
    $('meter-table').tBodies[0].append(row);

    const card = el('article', 'card');
    card.dataset.meter = meterNo;
    const head = el('header');
    const cardStatus = el('span', 'status', '');
    head.append(el('h3', null, meterNo), cardStatus);
    const cardTime = el('p', 'muted small', 'no values yet');
    const body = el('tbody');
    const table = el('table', 'values');
    table.append(body);
    const scroll = el('div', 'scroll');
    scroll.append(table);
    card.append(head, cardTime, scroll);
    $('value-cards').append(card);
    return { row, status, lastSeen, reading, points, card, cardStatus, cardTime, body, cells: new Map() };
  }

  function removeMeter(meterNo) {
    const m = meters.get(meterNo);
    if (!m) return;
    meters.delete(meterNo);
    m.dom.row.remove();
    m.dom.card.remove();
    for (const o of [...$('chart-meter').options]) if (o.value === meterNo) o.remove();
    if (trend.meterNo === meterNo) chooseTrend(meters.size ? meters.keys().next().value : null, null);
    $('no-meters').hidden = meters.size > 0;
  }

  async function dropMetersTheGatewayNoLongerHas() {
    try {
      const r = await fetch(METERS_URL, { cache: 'no-store' });
      if (!r.ok) return;
      const configured = new Set((await r.json()).map((x) => String(x.meterNo)));
      for (const meterNo of [...meters.keys()]) if (!configured.has(meterNo)) removeMeter(meterNo);
    } catch (err) {
      // Not reachable right now; the stream's own error handling reports that.
    }
  }

  function onStatus(s) {
    const m = meter(String(s.meterNo));
    m.status = String(s.status);
    seen(m, Date.parse(s.lastSeen));
    renderStatus(m);
  }

  function onReading(r) {
    const m = meter(String(r.meterNo));
    const at = Date.parse(r.timestamp);
    let charted = false;
    for (const [point, value] of Object.entries(r)) {
      if (point === 'meterNo' || point === 'timestamp') continue;
      setValue(m, point, String(value), at);
      charted = charted || (m.meterNo === trend.meterNo && point === trend.point);
    }
    if (!Number.isNaN(at)) m.readingAt = at;
    // A reading is the fruit of a successful poll, so the meter was seen then, even if no status changed.
    seen(m, at);
    m.dom.points.textContent = String(m.values.size);
    m.dom.reading.textContent = m.readingAt ? clock(m.readingAt) : '';
    m.dom.reading.title = r.timestamp;
    m.dom.cardTime.textContent = 'last change ' + (m.readingAt ? clock(m.readingAt) : '?');
    renderLastSeen(m);
    if (charted) drawTrendSoon();
  }

  function seen(m, at) {
    if (!Number.isNaN(at) && at > (m.lastSeen || 0)) m.lastSeen = at;
  }

  function setValue(m, point, text, at) {
    let cell = m.dom.cells.get(point);
    if (!cell) cell = addValueRow(m, point);
    const before = m.values.get(point);
    if (before !== text) {
      m.values.set(point, text);
      cell.textContent = text;
      if (before !== undefined && cell.animate) cell.animate(FLASH, 800);
    }
    const n = NUMBER.exec(text);
    if (n && !Number.isNaN(at)) record(m, point, at, Number(n[1]), n[2] || '');
  }

  function addValueRow(m, point) {
    const row = el('tr');
    row.dataset.point = point;
    const cell = el('td', 'value');
    row.append(el('th', null, point), cell);
    if (m.writable && m.writable[point]) addWriteButton(m, point, row);
    row.addEventListener('click', () => {
      if (m.units.has(point)) chooseTrend(m.meterNo, point);
    });
    m.dom.body.append(row);
    m.dom.cells.set(point, cell);
    return cell;
  }

  // Keeps the changes of each numeric point for the trend; the value holds between them (on-change stream).
  function record(m, point, at, y, unit) {
    if (!m.units.has(point)) {
      m.units.set(point, unit);
      m.numeric.push(point);
      m.dom.cells.get(point).parentElement.classList.add('chartable');
      if (m.meterNo === trend.meterNo) fillPointChoices();
    }
    let series = m.history.get(point);
    if (!series) {
      series = [];
      m.history.set(point, series);
    }
    const last = series[series.length - 1];
    if (last && at <= last.x) return;   // a snapshot repeating what this page already has
    if (last && last.y === y) return;
    series.push({ x: at, y });
    // Drop what has left the window, but keep the newest sample before it: its value holds into the window.
    const from = gatewayNow() - windowMs();
    let drop = 0;
    while (drop + 1 < series.length && series[drop + 1].x <= from) drop += 1;
    drop = Math.max(drop, series.length - MAX_SAMPLES);
    if (drop > 0) series.splice(0, drop);
  }

  function renderStatus(m) {
    const known = STATUSES.includes(m.status) ? m.status.toLowerCase() : 'unknown';
    for (const badge of [m.dom.status, m.dom.cardStatus]) {
      badge.textContent = m.status || '?';
      badge.className = 'status status-' + known;
    }
    m.dom.card.className = 'card card-' + known;
    renderLastSeen(m);
  }

  function renderLastSeen(m) {
    const cell = m.dom.lastSeen;
    if (!m.lastSeen) {
      cell.textContent = 'never';
      return;
    }
    cell.textContent = clock(m.lastSeen) + ' (' + ago(gatewayNow() - m.lastSeen) + ')';
    cell.title = new Date(m.lastSeen).toISOString();
  }

  // --- Alerts ------------------------------------------------------------------------------------------------

  async function loadAlerts() {
    try {
      const [active, recent] = await Promise.all([
        fetch(ALERTS_URL + '?state=active&limit=500', { cache: 'no-store' }),
        fetch(ALERTS_URL + '?state=all&limit=' + MAX_ALERT_HISTORY, { cache: 'no-store' })]);
      if (!active.ok || !recent.ok) {
        $('no-alerts').textContent = 'Alerts unavailable: the gateway answered HTTP '
          + (active.ok ? recent.status : active.status);
        return;
      }
      alerts.clear();
      for (const o of [...await recent.json(), ...await active.json()]) alerts.set(String(o.alertId), o);
      renderAlerts();
    } catch (err) {
      // Not reachable right now; the stream's state says so, and the next connect loads them again.
    }
  }

  // A raise, an acknowledgement or a clear of one occurrence, from the stream or from an ack's answer.
  function onAlert(a) {
    const id = String(a.alertId);
    const o = alerts.get(id) || {
      alertId: id, ruleId: a.ruleId, meterNo: a.meterNo, point: a.point, severity: a.severity, raised: a.timestamp,
    };
    o.value = a.value;
    o.state = a.state;
    if (a.state === 'acknowledged') {
      o.acknowledged = a.timestamp;
      o.acknowledgedBy = a.by;
    } else if (a.state === 'cleared') {
      o.cleared = a.timestamp;
    }
    alerts.set(id, o);
    if (a.state === 'raised') {
      addNotice(a.severity === 'critical' ? 'critical' : 'warn', 'Alert ' + describeAlert(o), a.timestamp);
    }
    renderAlerts();
  }

  function describeAlert(o) {
    return String(o.ruleId) + ' on ' + String(o.meterNo) + (o.point ? ' · ' + String(o.point) : '')
      + (o.value === null || o.value === undefined ? '' : ' = ' + String(o.value));
  }

  const latest = (o) => Date.parse(o.cleared || o.acknowledged || o.raised) || 0;

  function renderAlerts() {
    const all = [...alerts.values()];
    const active = all.filter((o) => o.state !== 'cleared').sort((a, b) =>
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || Date.parse(b.raised) - Date.parse(a.raised));
    const rows = active.map((o) => {
      const row = el('tr', o.state === 'acknowledged' ? 'acknowledged' : null);
      row.dataset.alert = o.alertId;
      const sev = el('td');
      sev.append(el('span', 'sev sev-' + (SEVERITIES.includes(o.severity) ? o.severity : 'info'), String(o.severity)));
      const action = el('td');
      if (o.state === 'acknowledged') {
        action.textContent = o.acknowledgedBy ? 'by ' + o.acknowledgedBy : '';
      } else {
        const ack = el('button', 'ack', 'Acknowledge');
        ack.type = 'button';
        ack.addEventListener('click', () => acknowledge(o, ack));
        action.append(ack);
      }
      row.append(sev, el('td', null, String(o.meterNo)), el('td', null, o.point ? String(o.point) : 'status'),
        el('td', 'num', o.value === null || o.value === undefined ? '' : String(o.value)),
        el('td', 'time', clock(Date.parse(o.raised))), el('td', null, String(o.state)), action);
      return row;
    });
    $('alert-table').tBodies[0].replaceChildren(...rows);
    $('no-alerts').hidden = rows.length > 0;
    $('no-alerts').textContent = 'No active alerts.';
    $('alert-count').textContent = rows.length ? '(' + rows.length + ' active)' : '';
    // History: the newest first; cleared ones beyond the page's bound are forgotten (the API keeps them).
    const cleared = all.filter((o) => o.state === 'cleared').sort((a, b) => latest(b) - latest(a));
    for (const o of cleared.slice(MAX_ALERT_HISTORY)) alerts.delete(String(o.alertId));
    const items = all.sort((a, b) => latest(b) - latest(a)).slice(0, MAX_ALERT_HISTORY).map((o) => {
      const li = el('li', o.state === 'cleared' ? 'notice-cleared' : 'notice-' + (o.severity === 'critical'
        ? 'critical' : 'warn'));
      li.append(el('time', null, clock(latest(o))),
        document.createTextNode(' ' + String(o.severity).toUpperCase() + ' ' + describeAlert(o) + ': ' + o.state
          + (o.acknowledgedBy ? ' (acknowledged by ' + o.acknowledgedBy + ')' : '')));
      return li;
    });
    $('alert-history').replaceChildren(...items);
    $('no-alert-history').hidden = items.length > 0;
  }

  async function acknowledge(o, button) {
    button.disabled = true;
    try {
      const r = await fetch(ALERTS_URL + '/' + encodeURIComponent(o.alertId) + '/ack', { method: 'POST' });
      if (r.ok) {
        onAlert(await r.json());
        return;
      }
      addNotice('warn', 'Acknowledging ' + o.alertId + ' was refused: ' + await refusal(r));
    } catch (err) {
      addNotice('warn', 'Acknowledging ' + o.alertId + ' failed: the gateway is not reachable');
    }
    button.disabled = false;
  }

  // --- Writes ------------------------------------------------------------------------------------------------

  async function loadSession() {
    try {
      const r = await fetch(SESSION_URL, { cache: 'no-store' });
      if (r.ok) session = await r.json();
    } catch (err) {
      // Without it the page offers no writes, which is the safe side.
    }
    document.body.dataset.session = session.write ? 'may-write' : 'read-only';
  }

  // Which of a meter's points may be written, with their ranges: asked once per meter, only by a page that may
  // write at all, so a read-only token's page never shows a write control.
  async function loadWritable(m) {
    if (!session.write || m.writable !== undefined) return;
    m.writable = null;
    try {
      const r = await fetch(METERS_URL + '/' + encodeURIComponent(m.meterNo), { cache: 'no-store' });
      if (!r.ok) return;
      m.writable = (await r.json()).writable || {};
      for (const [point, cell] of m.dom.cells) {
        if (m.writable[point]) addWriteButton(m, point, cell.parentElement);
      }
    } catch (err) {
      m.writable = undefined; // try again with the next reading
    }
  }

  function addWriteButton(m, point, row) {
    if (row.querySelector('button.write')) return;
    const b = el('button', 'write', 'Set');
    b.type = 'button';
    b.title = 'Write a new value to ' + point;
    b.addEventListener('click', (e) => {
      e.stopPropagation(); // not a click to chart the point
      openWrite(m, point, m.writable[point]);
    });
    // A cell of its own: the value cell's text is replaced with every reading.
    const cell = el('td', 'act');
    cell.append(b);
    row.append(cell);
  }

  function openWrite(m, point, spec) {
    const dialog = $('write-dialog');
    $('write-what').textContent = point + ' of ' + m.meterNo + ', now ' + (m.values.get(point) || 'unknown');
    let input;
    if (spec.labels) {
      input = el('select');
      for (const [code, label] of Object.entries(spec.labels)) input.append(new Option(label + ' (' + code + ')', code));
    } else if (spec.type === 'boolean') {
      input = el('select');
      input.append(new Option('ON (1)', 'true'), new Option('OFF (0)', 'false'));
    } else {
      input = el('input');
      input.type = 'number';
      if (spec.min !== undefined) input.min = String(spec.min);
      if (spec.max !== undefined) input.max = String(spec.max);
      input.step = spec.step !== undefined ? String(spec.step) : 'any';
      const n = NUMBER.exec(m.values.get(point) || '');
      if (n) input.value = n[1];
    }
    input.id = 'write-value';
    $('write-input-box').replaceChildren(input);
    $('write-range').textContent = spec.labels || spec.type === 'boolean' ? ''
      : 'Accepted: ' + (spec.min === undefined ? '…' : spec.min) + ' to ' + (spec.max === undefined ? '…' : spec.max)
        + (spec.step === undefined ? '' : ', in steps of ' + spec.step) + (spec.unit ? ' ' + spec.unit : '');
    $('write-confirm').checked = false;
    $('write-send').disabled = true;
    $('write-result').textContent = '';
    $('write-result').className = '';
    $('write-form').onsubmit = (e) => {
      e.preventDefault();
      sendWrite(m, point, spec, input.value);
    };
    dialog.showModal();
  }

  async function sendWrite(m, point, spec, raw) {
    const value = spec.labels ? Number(raw) : spec.type === 'boolean' ? raw === 'true' : Number(raw);
    const result = $('write-result');
    if (typeof value === 'number' && (raw === '' || Number.isNaN(value))) {
      result.textContent = 'Enter a number.';
      result.className = 'bad';
      return;
    }
    $('write-send').disabled = true;
    $('write-confirm').checked = false;
    result.textContent = 'Writing…';
    result.className = '';
    try {
      const r = await fetch(METERS_URL + '/' + encodeURIComponent(m.meterNo) + '/points/' + encodeURIComponent(point), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ value }),
      });
      if (r.ok) {
        const w = await r.json();
        result.textContent = 'Written. The device now holds ' + String(w.shown) + '.';
        result.className = 'ok';
        setValue(m, point, String(w.shown), Date.parse(w.timestamp));
      } else {
        result.textContent = 'Refused: ' + await refusal(r);
        result.className = 'bad';
      }
    } catch (err) {
      result.textContent = 'The gateway is not reachable; nothing was written.';
      result.className = 'bad';
    }
  }

  function setUpWrites() {
    $('write-confirm').addEventListener('change', (e) => {
      $('write-send').disabled = !e.target.checked;
    });
    $('write-close').addEventListener('click', () => $('write-dialog').close());
  }

  // --- Trend -------------------------------------------------------------------------------------------------

  function setUpTrend() {
    $('chart-meter').addEventListener('change', (e) => chooseTrend(e.target.value, null));
    $('chart-point').addEventListener('change', (e) => chooseTrend(trend.meterNo, e.target.value));
    $('chart-range').addEventListener('change', (e) => {
      trend.range = e.target.value;
      loadHistory();
      drawTrend();
    });
    // The link is made when clicked: the range ends now, and the page's cookie authenticates the download.
    $('chart-export').addEventListener('click', (e) => {
      if (!trend.meterNo) {
        e.preventDefault();
        return;
      }
      const to = new Date(gatewayNow());
      const from = new Date(to.getTime() - windowMs());
      // The gateway names the file: meter and start of the range.
      e.currentTarget.href = historyUrl(trend.meterNo, { format: 'csv', from: from.toISOString(), to: to.toISOString() });
    });
    if (typeof Chart === 'undefined') {
      $('chart-note').textContent = 'The chart library did not load; the values above are still live.';
      return;
    }
    trend.chart = new Chart($('chart'), {
      type: 'line',
      data: { datasets: [{ data: [], stepped: true, borderColor: '#0969da', borderWidth: 2, pointRadius: 0 }] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'linear',
            // A tick on every whole minute: Chart.js would count steps from the window's start instead.
            afterBuildTicks: (scale) => {
              const step = RANGES[trend.range].minuteTicks * 60000;
              const ticks = [];
              for (let v = Math.ceil(scale.min / step) * step; v <= scale.max; v += step) ticks.push({ value: v });
              scale.ticks = ticks;
            },
            ticks: { callback: (v) => clock(v, true) },
          },
          y: {
            grace: '5%',
            ticks: {
              callback(v, i, ticks) {
                const n = Chart.Ticks.formatters.numeric.call(this, v, i, ticks);
                return trend.unit ? n + ' ' + trend.unit : n;
              },
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? clock(items[0].parsed.x) : ''),
              label: (item) => ' ' + item.parsed.y + ' ' + (trend.unit || ''),
            },
          },
        },
      },
    });
  }

  function chooseTrend(meterNo, point) {
    const changedMeter = trend.meterNo !== meterNo;
    trend.meterNo = meterNo;
    const m = meterNo === null ? null : meters.get(meterNo);
    trend.point = point || (m && m.numeric.length ? m.numeric[0] : null);
    $('chart-meter').value = meterNo === null ? '' : meterNo;
    if (changedMeter || point) fillPointChoices();
    for (const other of meters.values()) {
      for (const [p, cell] of other.dom.cells) {
        cell.parentElement.classList.toggle('charted', other === m && p === trend.point);
      }
    }
    loadHistory();
    drawTrend();
  }

  function historyUrl(meterNo, params) {
    return METERS_URL + '/' + encodeURIComponent(meterNo) + '/history?' + new URLSearchParams(params);
  }

  // What the gateway stored of the charted point over the chosen range: its readings for an hour, time buckets
  // (their time-weighted averages) for longer. Live changes continue it. Only the latest request counts.
  async function loadHistory() {
    const meterNo = trend.meterNo;
    const point = trend.point;
    const range = trend.range;
    if (!meterNo || !point) return;
    const request = ++trend.loading;
    const to = gatewayNow();
    const params = { from: new Date(to - RANGES[range].ms).toISOString(), to: new Date(to).toISOString(), points: point };
    const samples = [];
    let note = '';
    try {
      if (RANGES[range].interval) {
        const r = await fetch(historyUrl(meterNo, { ...params, interval: RANGES[range].interval }), { cache: 'no-store' });
        if (!r.ok) throw new Error(await refusal(r));
        for (const b of (await r.json()).buckets) {
          const s = b.points[point];
          if (s) samples.push({ x: Date.parse(b.start), y: s.avg });
        }
      } else {
        let cursor = '';
        for (let page = 0; page < HISTORY_PAGES; page += 1) {
          const r = await fetch(historyUrl(meterNo, { ...params, limit: 10000, ...(cursor ? { cursor } : {}) }),
            { cache: 'no-store' });
          if (!r.ok) throw new Error(await refusal(r));
          const body = await r.json();
          for (const reading of body.readings) {
            const n = NUMBER.exec(String(reading[point]));
            if (n) samples.push({ x: Date.parse(reading.timestamp), y: Number(n[1]) });
          }
          cursor = body.next;
          if (!cursor) break;
        }
      }
    } catch (err) {
      note = 'history unavailable (' + err.message + '); live values only';
    }
    if (request !== trend.loading) return;   // the choice changed meanwhile
    trend.loaded = { meterNo, point, range, samples, note };
    drawTrendSoon();
  }

  async function refusal(r) {
    try {
      return (await r.json()).message;
    } catch (err) {
      return 'HTTP ' + r.status;
    }
  }

  function fillPointChoices() {
    const select = $('chart-point');
    const m = meters.get(trend.meterNo);
    select.replaceChildren(...(m ? m.numeric : []).map((p) => new Option(p, p)));
    if (trend.point === null && m && m.numeric.length) {
      chooseTrend(trend.meterNo, m.numeric[0]);
      return;
    }
    select.value = trend.point || '';
  }

  function drawTrendSoon() {
    if (trend.pending) return;
    trend.pending = true;
    requestAnimationFrame(() => {
      trend.pending = false;
      drawTrend();
    });
  }

  function drawTrend() {
    const m = meters.get(trend.meterNo);
    const live = (m && trend.point && m.history.get(trend.point)) || [];
    // Stored history first, live changes from where it ends (or from the first live change before that).
    const loaded = trend.loaded;
    const stored = loaded && loaded.meterNo === trend.meterNo && loaded.point === trend.point
      && loaded.range === trend.range ? loaded.samples : [];
    const firstLive = live.length ? live[0].x : Infinity;
    const series = stored.filter((s) => s.x < firstLive).concat(live);
    trend.unit = m && trend.point ? m.units.get(trend.point) : '';
    const note = $('chart-note');
    if (!trend.point) note.textContent = 'No numeric point to chart yet.';
    else if (!series.length) note.textContent = 'No value of ' + trend.point + ' yet.';
    else note.textContent = trend.point + ' of ' + m.meterNo + ': ' + m.values.get(trend.point)
      + (loaded && loaded.note ? ' · ' + loaded.note : '');
    const chart = trend.chart;
    if (!chart) return;
    const now = gatewayNow();
    const from = now - windowMs();
    const points = [];
    for (let i = 0; i < series.length; i += 1) {
      const next = series[i + 1];
      if (next && next.x <= from) continue;   // superseded before the window starts
      points.push({ x: Math.max(series[i].x, from), y: series[i].y });
    }
    // The last value holds until now while the meter answers; after that, up to when it was last seen.
    const last = points[points.length - 1];
    if (last) {
      const until = m.status === 'CONNECTED' ? now : Math.min(now, m.lastSeen || last.x);
      if (until > last.x) points.push({ x: until, y: last.y });
    }
    chart.data.datasets[0].data = points;
    chart.options.scales.x.min = from;
    chart.options.scales.x.max = now;
    chart.update('none');
  }

  // --- Polled alongside the stream ---------------------------------------------------------------------------

  // Every few seconds: the SSE connection statistics, and when each meter last answered. The stream sends a status
  // only when it changes and a reading only when a value changes, so a steady meter's lastSeen would look old.
  async function refresh() {
    await Promise.all([refreshClients(), refreshLastSeen()]);
    setTimeout(refresh, REFRESH_EVERY_MS);
  }

  async function refreshClients() {
    try {
      const r = await fetch(CLIENTS_URL, { cache: 'no-store' });
      if (r.ok) {
        renderClients(await r.json());
        $('client-note').textContent = 'updated ' + clock(Date.now());
      } else {
        $('client-note').textContent = 'statistics unavailable: the gateway answered HTTP ' + r.status;
      }
    } catch (err) {
      $('client-note').textContent = 'statistics unavailable: the gateway is not reachable';
    }
  }

  async function refreshLastSeen() {
    try {
      const r = await fetch(METERS_URL, { cache: 'no-store' });
      if (!r.ok) return;
      for (const x of await r.json()) {
        const m = meters.get(String(x.meterNo));
        if (m) seen(m, Date.parse(x.lastSeen));
      }
    } catch (err) {
      // The stream's state in the header already says when the gateway is away.
    }
  }

  function renderClients(s) {
    const entries = (o) => Object.entries(o || {}).map(([k, v]) => k + ': ' + v).join(', ') || 'none';
    const summary = [
      ['Connected', s.connected + ' of ' + s.maxClients],
      ['Connections since start', s.connectionsTotal],
      ['Refused (full)', s.refused],
      ['Events sent', s.eventsSent],
      ['Average connection', seconds(s.averageConnectionSeconds)],
      ['Last event', s.lastEventTime ? clock(Date.parse(s.lastEventTime)) : 'none'],
      ['By stream', entries(s.byStream)],
      ['By token', entries(s.byToken)],
      ['Cut off', entries(s.dropped)],
    ];
    $('client-summary').replaceChildren(...summary.flatMap(([k, v]) => [el('dt', null, k), el('dd', null, String(v))]));
    const rows = (s.clients || []).map((c) => {
      const row = el('tr', String(c.id) === stream.clientId ? 'this-page' : null);
      const streamName = c.stream + (c.target ? ' (' + c.target + ')' : '');
      row.append(
        el('td', null, String(c.id) + (String(c.id) === stream.clientId ? ' (this page)' : '')),
        el('td', null, String(c.token)),
        el('td', null, c.remote === undefined ? '—' : String(c.remote)),
        el('td', null, streamName),
        el('td', 'num', seconds(c.connectedSeconds)),
        el('td', 'num', String(c.eventsSent)),
        el('td', 'num', String(c.queued)));
      return row;
    });
    $('client-table').tBodies[0].replaceChildren(...rows);
  }

  // --- Notices -----------------------------------------------------------------------------------------------

  function addNotice(kind, text, timestamp) {
    const at = Date.parse(timestamp);
    const li = el('li', 'notice-' + kind);
    li.append(el('time', null, clock(Number.isNaN(at) ? Date.now() : at)), document.createTextNode(' ' + text));
    const list = $('notices');
    list.prepend(li);
    while (list.children.length > MAX_NOTICES) list.lastElementChild.remove();
    $('no-notices').hidden = true;
  }

  // --- Formatting --------------------------------------------------------------------------------------------

  function clock(ms, short) {
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, '0');
    const time = pad(d.getHours()) + ':' + pad(d.getMinutes()) + (short ? '' : ':' + pad(d.getSeconds()));
    if (short || new Date().toDateString() === d.toDateString()) return time;
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + time;
  }

  function ago(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    return Math.floor(s / 3600) + ' h ago';
  }

  function seconds(n) {
    const s = Math.round(Number(n) || 0);
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    return Math.round(s / 3600) + ' h';
  }

  // --- Start -------------------------------------------------------------------------------------------------

  setUpTrend();
  setUpWrites();
  loadSession().then(() => {
    for (const m of meters.values()) loadWritable(m);
  });
  connect();
  refresh();
  setInterval(() => {
    checkSilence();
    renderStreamDetail();
    for (const m of meters.values()) renderLastSeen(m);
    drawTrend();
  }, 1000);
})();
