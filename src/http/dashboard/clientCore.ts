/**
 * The dashboard script, part 1 (plain browser JavaScript, concatenated into one function scope by
 * index.ts): shared state, escaping, the JSON API, colours, the header and the topics table.
 * Every text from the service (labels, words, posts) is escaped: posts are hostile input.
 * (No backticks nor "${" in these strings: they are String.raw templates.)
 */
export const CLIENT_CORE = String.raw`
var charts = (globalThis.dashboardCharts = {});
var state = {
  topics: [], byId: {}, status: {}, events: [], overTime: null, map: null, otMode: 'refit',
  topicId: null, detail: null, history: null, labelDirty: false, trending: null,
  drawn: { table: false, overTime: false, map: false }
};

function $(id) { return document.getElementById(id); }
function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
/** at most n characters, cut at a word when possible ("immigration …") */
function short(s, n) {
  s = String(s == null ? '' : s);
  if (s.length <= n) return s;
  var cut = s.slice(0, n - 1);
  var sp = cut.lastIndexOf(' ');
  return (sp > n / 2 ? cut.slice(0, sp) : cut).replace(/[\s,;:]+$/, '') + ' …';
}
function num(n) { return typeof n === 'number' && isFinite(n) ? n.toLocaleString('en') : '–'; }
function intId(x) { var n = Number(x); return Number.isSafeInteger(n) ? n : 0; }
function fmtDate(iso) {
  if (!iso) return '';
  var d = new Date(iso);
  return isNaN(d.getTime()) ? String(iso) : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
function note(id, text) {
  var el = $(id);
  if (!el) return;
  el.textContent = text || '';
  el.hidden = !text;
}

function ApiError(status, message) { this.status = status; this.message = message; }
ApiError.prototype.toString = function () { return this.message; };
/** fetch + JSON; rejects with an ApiError carrying the service's {error} message */
function api(path, init) {
  var opts = Object.assign({ credentials: 'same-origin', headers: { accept: 'application/json' } }, init || {});
  return fetch(path, opts).then(function (res) {
    return res.text().then(function (text) {
      var body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
      if (!res.ok) {
        var msg = body && typeof body.error === 'string' ? body.error : 'HTTP ' + res.status;
        if (res.status === 401) msg = 'unauthorised: open this page once as ?token=<token>';
        throw new ApiError(res.status, msg);
      }
      return body;
    });
  });
}
function errText(e) { return e && e.message ? e.message : String(e); }

/** Runs an async loader at most once at a time; a call while it runs queues one more run. */
function coalesce(fn) {
  var running = false, again = false;
  function run() {
    if (running) { again = true; return; }
    running = true;
    Promise.resolve().then(fn).catch(function (e) { console.warn(e); }).then(function () {
      running = false;
      if (again) { again = false; run(); }
    });
  }
  return run;
}

/** A topic's colour, fixed by its id (ids are stable across refits): 20 distinct hues, then darker and lighter turns. */
var PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#3b8bc2',
  '#8cd17d', '#b6992d', '#d37295', '#499894', '#86bcb6', '#e49444', '#6b5b95', '#d4a6c8', '#79706e', '#a0cbe8'];
function colorOf(id) {
  id = intId(id);
  if (id < 0) return '#b9bec7';
  var turn = Math.floor(id / PALETTE.length) % 3;
  var c = PALETTE[id % PALETTE.length];
  if (turn === 0) return c;
  var to = turn === 1 ? 0 : 255;
  var rgb = [1, 3, 5].map(function (i) { return Math.round(parseInt(c.slice(i, i + 2), 16) * 0.7 + to * 0.3); });
  return 'rgb(' + rgb.join(', ') + ')';
}
function labelOf(id) {
  var t = state.byId[id];
  if (t && t.label) return t.label;
  return intId(id) === -1 ? 'outliers' : 'topic ' + intId(id);
}
function topicLink(id, label, max) {
  id = intId(id);
  return '<a href="#/topic/' + id + '" class="topic-link" data-topic="' + id + '">' + esc(short(label == null ? labelOf(id) : label, max || 60)) + '</a>';
}
function quoted(id, label) {
  id = intId(id);
  return '<a href="#/topic/' + id + '" class="topic-link" data-topic="' + id + '">\u2018' + esc(short(label == null ? labelOf(id) : label, 40)) + '\u2019</a>';
}
function words(list, n) {
  return (list || []).slice(0, n).map(function (w) { return typeof w === 'string' ? w : w.word; });
}

function draw(name, el, option, notMerge) {
  option.animation = false;
  var c = charts[name];
  if (!c || c.isDisposed()) { c = echarts.init(el, null, { renderer: 'canvas' }); charts[name] = c; }
  c.setOption(option, notMerge !== false);
  return c;
}
function resizeCharts() {
  Object.keys(charts).forEach(function (k) { if (!charts[k].isDisposed()) charts[k].resize(); });
}
function markRendered() {
  var d = state.drawn;
  if (d.table && d.overTime && d.map && document.body.dataset.rendered !== 'true') document.body.dataset.rendered = 'true';
}

function renderStatus() {
  var s = state.status || {};
  var real = state.topics.filter(function (t) { return t.id !== -1; });
  var out = state.byId[-1];
  var items = [
    ['model', 'v' + num(s.model_version == null ? 0 : s.model_version)],
    ['docs in window', num(s.window_docs)],
    ['topics', num(real.length)],
    ['outliers', num(out ? out.size : 0)],
    ['consumed', num(s.consumed)]
  ];
  $('status').innerHTML = items.map(function (it) {
    return '<span class="stat" data-stat="' + esc(it[0]) + '">' + (it[0] === 'model' ? esc(it[0]) + ' <b>' + esc(it[1]) + '</b>' : '<b>' + esc(it[1]) + '</b> ' + esc(it[0])) + '</span>';
  }).join(' ');
}

function setConn(kind) {
  var el = $('conn');
  el.className = kind;
  el.textContent = kind === 'live' ? 'live' : kind === 'reconnecting' ? 'reconnecting…' : kind === 'offline' ? 'offline' : kind;
  document.body.dataset.live = kind === 'live' ? 'true' : 'false';
}

/** A trend as an inline SVG polyline (numbers only: nothing to escape). */
function sparkline(values, color) {
  var vs = (values || []).map(function (v) { return typeof v === 'number' && isFinite(v) ? v : 0; });
  if (vs.length === 0) return '';
  if (vs.length === 1) vs = [vs[0], vs[0]];
  var w = 96, h = 24, max = Math.max.apply(null, vs.concat([1]));
  var pts = vs.map(function (v, i) { return [2 + (i * (w - 4)) / (vs.length - 1), h - 2 - (v / max) * (h - 4)]; });
  var line = pts.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' ');
  var last = pts[pts.length - 1];
  return '<svg class="spark" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h + '" role="img" aria-label="size at the last refits: ' + vs.join(', ') + '">' +
    '<polyline fill="none" stroke="' + color + '" stroke-width="1.6" points="' + line + '"/>' +
    '<circle cx="' + last[0].toFixed(1) + '" cy="' + last[1].toFixed(1) + '" r="2.2" fill="' + color + '"/></svg>';
}
function growth(trend) {
  if (!trend || trend.length < 2) return '';
  var d = trend[trend.length - 1] - trend[trend.length - 2];
  if (!isFinite(d)) return '';
  return '<span class="growth ' + (d > 0 ? 'up' : d < 0 ? 'down' : '') + '">' + (d > 0 ? '+' : '') + d + '</span>';
}

function renderTable() {
  var real = state.topics.filter(function (t) { return t.id !== -1; }).sort(function (a, b) { return b.size - a.size || a.id - b.id; });
  $('topics').innerHTML = real.map(function (t) {
    var id = intId(t.id);
    return '<tr data-topic="' + id + '"><td><span class="swatch" style="background:' + colorOf(id) + '"></span><span class="tid">#' + id + '</span>' +
      topicLink(id, t.label, 70) + (t.custom_label ? '<span class="custom" title="label set by a user">custom</span>' : '') + '</td>' +
      '<td class="num">' + num(t.size) + '</td>' +
      '<td><div class="trend">' + sparkline(t.trend, colorOf(id)) + growth(t.trend) + '</div></td>' +
      '<td class="words">' + esc(words(t.words, 8).join(', ')) + '</td></tr>';
  }).join('');
  note('topics-note', real.length ? '' : 'No topics yet: they appear after the first refit.');
  state.drawn.table = true;
  markRendered();
}
`;
