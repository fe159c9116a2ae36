// The local stack's console: reads /_console/api/... while the page is open and visible, draws with plain canvas.
// No framework, no build step, nothing from another site. Every value goes into the page as text (never as HTML).
'use strict';

const FAST_MS = 2000;   // overview, charts, functions, API
const SLOW_MS = 5000;   // DLQ peek and DescribeTable: cost a call to the backend each
let fastTimer = null;
let slowTimer = null;

function $(id) { return document.getElementById(id); }

/** el('td', {class: 'num'}, 'text', childNode...) */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return e;
}

function replace(id, ...nodes) {
  const box = $(id);
  box.replaceChildren(...nodes);
}

function ms(v) {
  if (v === null || v === undefined) return '–';
  if (v < 1000) return v + ' ms';
  if (v < 60000) return (v / 1000).toFixed(v < 10000 ? 2 : 1) + ' s';
  return (v / 60000).toFixed(1) + ' min';
}

function num(v) { return v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US'); }

function ago(iso) {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}

function stateClass(state) {
  return { POLLING: 'ok', RETRYING: 'warn', STUCK: 'bad', DISABLED: 'bad', STOPPED: 'bad', running: 'ok', Active: 'ok',
    OK: 'ok', 'PARTIAL FAILURE': 'warn', BISECT: 'warn', 'FUNCTION ERROR': 'bad', 'NOT DELIVERED': 'warn',
    'SENT TO QUEUE': 'bad', DISCARDED: 'bad' }[state] || '';
}

function table(headers, rows) {
  const head = el('tr', {}, ...headers.map(h => el('th', { class: h.num ? 'num' : null }, h.label || h)));
  return el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows));
}

function td(v, cls) { return el('td', { class: cls || null }, v); }

async function get(name) {
  const r = await fetch('api/' + name, { cache: 'no-store' });
  if (!r.ok) throw new Error(name + ': HTTP ' + r.status);
  return r.json();
}

// ------------------------------------------------------------------------------------------------ overview

function showOverview(o) {
  const s = o.stack;
  $('stack-name').textContent = s.name || 'local stack (empty)';
  $('stack-status').textContent = s.status;
  $('stack-status').className = 'badge ' + stateClass(s.status);
  $('stack-endpoint').textContent = s.endpoint;
  $('stack-uptime').textContent = ms((s.uptimeSeconds || 0) * 1000);
  const r = o.readSide;
  const behind = $('records-behind');
  behind.textContent = num(r.recordsBehind) + (r.recordsBehindCapped ? '+' : '');
  behind.dataset.value = r.recordsBehind;
  $('lag').textContent = ms(r.lagMs);
  $('lag').dataset.value = r.lagMs === null ? '' : r.lagMs;
  $('iterator-age').textContent = ms(r.iteratorAgeMs);
  const l = r.syncLatency;
  $('sync-latency').textContent = l.p50Ms === null ? '–' : ms(l.p50Ms) + ' / ' + ms(l.p99Ms);
  $('projection-rate').textContent = r.projectionRatePerSecond.toFixed(1);
  const totals = $('totals');
  totals.textContent = num(r.writtenTotal) + ' / ' + num(r.projectedTotal);
  totals.dataset.written = r.writtenTotal;
  totals.dataset.projected = r.projectedTotal;

  if (!o.mappings.length) {
    replace('mappings', el('p', { class: 'hint' }, 'no event source mapping deployed'));
    return;
  }
  replace('mappings', ...o.mappings.map(m => {
    const kv = el('div', { class: 'kv' },
      el('span', {}, 'state ', el('span', { class: 'badge mapping-state ' + stateClass(m.state), 'data-state': m.state }, m.state)),
      el('span', {}, m.table + ' → ' + m.function),
      el('span', {}, 'batch size ', el('b', {}, m.batchSize)),
      el('span', {}, 'batching window ', el('b', {}, m.batchingWindowSeconds + ' s')),
      el('span', {}, 'parallelization ', el('b', {}, m.parallelizationFactor)),
      el('span', {}, 'retries ', el('b', {}, m.maxRetryAttempts)),
      el('span', {}, 'bisect ', el('b', {}, m.bisectOnError ? 'on' : 'off')),
      el('span', {}, 'max record age ', el('b', {}, m.maxRecordAgeSeconds + ' s')),
      el('span', {}, 'invocations ', el('b', {}, num(m.invocations))),
      el('span', {}, 'discarded ', el('b', {}, num(m.recordsDiscarded))),
      m.problem ? el('span', { class: 'pill bad' }, m.problem) : null,
      m.lagProblem ? el('span', { class: 'pill bad' }, m.lagProblem) : null);
    const rows = m.recentBatches.map(b => el('tr', { class: 'batch' },
      td(ago(b.at)), td(b.shardId), td(b.records, 'num'),
      td(el('code', {}, b.firstSequenceNumber === b.lastSequenceNumber ? b.firstSequenceNumber
        : b.firstSequenceNumber + ' … ' + b.lastSequenceNumber)),
      td(b.attempt || '', 'num'),
      td(el('span', { class: 'pill batch-outcome ' + stateClass(b.outcome) }, b.outcome)),
      td(b.detail || ''), td(b.ms ? b.ms + ' ms' : '', 'num')));
    return el('div', { class: 'mapping' }, kv,
      rows.length ? table(['when', 'shard', { label: 'records', num: true }, 'sequence numbers', { label: 'attempt', num: true },
        'outcome', 'detail', { label: 'took', num: true }], rows) : el('p', { class: 'hint' }, 'no batch yet'));
  }));
}

// ------------------------------------------------------------------------------------------------ charts

function drawChart(canvas, buckets, series, unit) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 640;
  const h = canvas.clientHeight || 220;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const left = 48, right = 10, top = 22, bottom = 22;
  const pw = w - left - right, ph = h - top - bottom;
  let max = 0;
  for (const s of series) for (const b of buckets) { const v = s.value(b); if (v !== null && v > max) max = v; }
  max = niceMax(max);
  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#e5e7eb';
  g.fillStyle = '#6b7280';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = top + ph - ph * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(left + pw, y); g.stroke();
    g.fillText(fmtAxis(max * i / 4, unit), 4, y + 4);
  }
  const n = buckets.length;
  const x = i => left + (n <= 1 ? 0 : pw * i / (n - 1));
  if (n) {
    const first = new Date(buckets[0].t * 1000), last = new Date(buckets[n - 1].t * 1000);
    g.fillText(first.toLocaleTimeString(), left, h - 6);
    const lt = last.toLocaleTimeString();
    g.fillText(lt, left + pw - g.measureText(lt).width, h - 6);
  }
  let lx = left;
  for (const s of series) {
    g.strokeStyle = s.color; g.lineWidth = 2; g.beginPath();
    let pen = false;
    buckets.forEach((b, i) => {
      const v = s.value(b);
      if (v === null) { pen = false; return; }
      const y = top + ph - (max === 0 ? 0 : ph * v / max);
      if (pen) g.lineTo(x(i), y); else g.moveTo(x(i), y);
      pen = true;
    });
    g.stroke();
    g.fillStyle = s.color; // a dot on each value, so that a lone bucket shows too
    buckets.forEach((b, i) => {
      const v = s.value(b);
      if (v === null || (v === 0 && s.skipZeroDots)) return;
      g.beginPath(); g.arc(x(i), top + ph - (max === 0 ? 0 : ph * v / max), 2.5, 0, 2 * Math.PI); g.fill();
    });
    g.fillStyle = s.color; g.fillRect(lx, 6, 10, 10);
    g.fillStyle = '#1d2330'; g.fillText(s.label, lx + 14, 15);
    lx += g.measureText(s.label).width + 34;
  }
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmtAxis(v, unit) { return unit === 'ms' ? ms(Math.round(v)) : (v >= 10 ? Math.round(v) : v.toFixed(1)); }

function showCharts(c) {
  const per = c.bucketSeconds;
  drawChart($('chart-throughput'), c.buckets, [
    { label: 'commands written', color: '#2563eb', skipZeroDots: true, value: b => b.written / Math.max(1, b.seconds) },
    { label: 'views projected', color: '#ea580c', skipZeroDots: true, value: b => b.projected / Math.max(1, b.seconds) }],
    'rate');
  drawChart($('chart-latency'), c.buckets, [
    { label: 'p50', color: '#15803d', value: b => b.p50Ms },
    { label: 'p99', color: '#b91c1c', value: b => b.p99Ms }], 'ms');
  $('chart-throughput').dataset.buckets = c.buckets.length;
  $('chart-throughput').dataset.bucketSeconds = per;
}

// ------------------------------------------------------------------------------------------------ functions

function showFunctions(f) {
  if (!f.functions.length) return;
  const rows = [];
  for (const fn of f.functions) {
    rows.push(el('tr', { class: 'function', 'data-name': fn.name },
      td(el('b', {}, fn.name)), td(el('span', { class: 'pill ' + stateClass(fn.state) }, fn.state)),
      td(fn.environments + ' / ' + fn.maxEnvironments, 'num'), td(num(fn.invocations), 'num fn-invocations'),
      td(num(fn.errors), 'num'), td(num(fn.coldStarts), 'num'), td(num(fn.refused), 'num'),
      td(ms(fn.p50Ms), 'num'), td(ms(fn.p99Ms), 'num'), td(ago(fn.lastInvocationAt))));
    rows.push(el('tr', {}, el('td', { colspan: 10 },
      el('pre', { class: 'log' }, fn.log.length ? fn.log.join('\n') : '(nothing logged yet)'))));
  }
  replace('functions', table(['function', 'state', { label: 'warm envs', num: true }, { label: 'invocations', num: true },
    { label: 'errors', num: true }, { label: 'cold starts', num: true }, { label: 'throttled', num: true },
    { label: 'p50', num: true }, { label: 'p99', num: true }, 'last'], rows));
}

// ------------------------------------------------------------------------------------------------ API

function showApi(a) {
  if (!a.apis.length && !a.routes.length) return;
  const head = a.apis.map(api => el('div', { class: 'kv' }, el('span', {}, el('b', {}, api.name), ' (' + api.id + ')'),
    ...api.stages.map(s => el('span', {}, 'stage ', el('b', {}, s.name), ' ', el('code', {}, s.url),
      ...s.apiKeys.map(k => el('span', {}, ' · key ', el('code', { class: 'api-key' }, k.value)))))));
  const rows = a.routes.map(r => el('tr', { class: 'route' }, td(el('code', {}, r.route)), td(r.function || ''),
    td(r['2xx'], 'num'), td(r['3xx'], 'num'), td(r['4xx'], 'num'), td(r['5xx'], 'num'), td(r.total, 'num')));
  replace('api', ...head, table(['route', 'function', { label: '2xx', num: true }, { label: '3xx', num: true },
    { label: '4xx', num: true }, { label: '5xx', num: true }, { label: 'total', num: true }], rows));
}

// ------------------------------------------------------------------------------------------------ DLQ, tables

function showDlq(d) {
  if (!d.queues.length) return;
  replace('dlq', ...d.queues.map(q => {
    const rows = q.messages.map(m => el('tr', { class: 'dlq-message' }, td(ago(m.sentAt)), td(m.shardId || ''),
      td(el('code', {}, (m.startSequenceNumber || '') + (m.endSequenceNumber && m.endSequenceNumber !== m.startSequenceNumber
        ? ' … ' + m.endSequenceNumber : ''))), td(m.batchSize === null ? '' : m.batchSize, 'num'),
      td(el('span', { class: 'pill bad' }, m.reason || '?')), td(m.item || ''),
      td(m.functionError || m.detail || '')));
    return el('div', {},
      el('div', { class: 'kv' }, el('span', {}, el('b', {}, q.name)),
        el('span', {}, 'depth ', el('b', { class: 'dlq-depth', 'data-value': q.depth }, num(q.depth))),
        el('span', {}, 'in flight ', el('b', {}, num(q.inFlight))),
        q.problem ? el('span', { class: 'pill bad' }, q.problem) : null),
      rows.length ? table(['sent', 'shard', 'sequence range', { label: 'records', num: true }, 'reason', 'item', 'function error / why'], rows)
        : el('p', { class: 'hint' }, 'empty'));
  }));
}

function showTables(t) {
  if (!t.tables.length) return;
  replace('tables', ...t.tables.map(x => el('div', { class: 'table-info' },
    el('h3', {}, x.name, ' ', el('span', { class: 'pill ' + (x.status === 'ACTIVE' ? 'ok' : 'bad') }, x.status || 'unknown')),
    el('div', { class: 'kv' }, el('span', {}, 'items ', el('b', { class: 'item-count' }, num(x.itemCount))),
      el('span', {}, 'keys ', el('code', {}, x.keys.join(', '))),
      el('span', {}, 'stream ', el('b', {}, x.stream || 'off')),
      x.problem ? el('span', { class: 'pill bad' }, x.problem) : null),
    x.gsis.length ? table(['GSI', 'keys', { label: 'items', num: true }],
      x.gsis.map(g => el('tr', {}, td(g.name), td(el('code', {}, g.keys.join(', '))), td(num(g.itemCount), 'num'))))
      : el('p', { class: 'hint' }, 'no GSI'))));
}

// ------------------------------------------------------------------------------------------------ check-sync

async function checkSync() {
  const button = $('check-sync');
  button.disabled = true;
  $('sync-status').textContent = 'scanning both tables…';
  try {
    const r = await fetch('api/check-sync', { method: 'POST', headers: { 'X-Console-Action': 'check-sync' } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || 'HTTP ' + r.status);
    $('sync-result').hidden = false;
    $('sync-verdict').textContent = body.in_sync ? 'IN SYNC' : 'OUT OF SYNC';
    $('sync-verdict').className = 'pill ' + (body.in_sync ? 'ok' : 'bad');
    for (const k of ['missing', 'stale', 'orphan', 'unmappable']) $('sync-' + k).textContent = body[k].count;
    $('sync-counts').textContent = body.commands + ' commands, ' + body.views + ' views (' + body.tombstones
      + ' tombstones), ' + body.matched + ' in sync';
    $('sync-status').textContent = 'checked ' + new Date(body.checked_at).toLocaleTimeString() + ' in ' + ms(body.elapsed_ms);
  } catch (e) {
    $('sync-status').textContent = 'check-sync failed: ' + e.message;
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------------------------------------ refresh

let chartSeconds = 60; // the charts cover the stack's uptime: from 1 minute (1 s buckets) to 10 minutes (5 s buckets)

async function refreshFast() {
  try {
    const bucket = chartSeconds <= 120 ? 1 : 5;
    const [o, c, f, a] = await Promise.all([get('overview'), get('charts?seconds=' + chartSeconds + '&bucket=' + bucket),
      get('functions'), get('api')]);
    chartSeconds = Math.min(600, Math.max(60, Math.ceil(((o.stack.uptimeSeconds || 0) + 1) / 60) * 60));
    showOverview(o); showCharts(c); showFunctions(f); showApi(a);
    $('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    $('refreshed').textContent = 'the stack did not answer (' + e.message + ')';
  }
}

async function refreshSlow() {
  try {
    const [d, t] = await Promise.all([get('dlq'), get('tables')]);
    showDlq(d); showTables(t);
  } catch (e) {
    $('refreshed').textContent = 'the stack did not answer (' + e.message + ')';
  }
}

function start() {
  stop();
  refreshFast(); refreshSlow();
  fastTimer = setInterval(refreshFast, FAST_MS);
  slowTimer = setInterval(refreshSlow, SLOW_MS);
}

function stop() {
  clearInterval(fastTimer); clearInterval(slowTimer);
  fastTimer = slowTimer = null;
}

// a hidden tab asks for nothing: the stack does no work for a page nobody looks at
document.addEventListener('visibilitychange', () => (document.hidden ? stop() : start()));
document.addEventListener('DOMContentLoaded', () => {
  $('check-sync').addEventListener('click', checkSync);
  if (!document.hidden) start();
});
