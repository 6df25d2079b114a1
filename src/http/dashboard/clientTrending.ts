/**
 * The dashboard script, part 5: "Rising now", from api/trending and the `trending` server-sent
 * events: the forming topics (groups of new documents unlike anything seen before), the topics with a weak or
 * strong signal, then more topics by growth up to MIN_RISING rows. Built with the DOM (every text
 * from the service set as textContent); topic rows link to the topic page.
 */
export const CLIENT_TRENDING = String.raw`
var MIN_RISING = 5;
var SIGNALS = ['noise', 'stable', 'weak', 'strong', 'fading'];
function isRising(x) { return x.signal === 'weak' || x.signal === 'strong'; }
function byGrowth(a, b) { return (Number(b.growth) || 0) - (Number(a.growth) || 0) || intId(a.topic) - intId(b.topic); }

/** The rows, in order: forming topics (largest first), weak/strong topics (by growth), then the next topics by growth while fewer than MIN_RISING rows. */
function risingRows(t) {
  var forming = (Array.isArray(t.forming) ? t.forming : []).slice().sort(function (a, b) {
    return (Number(b.size) || 0) - (Number(a.size) || 0) || intId(a.forming_id) - intId(b.forming_id);
  });
  var topics = (Array.isArray(t.topics) ? t.topics : []).filter(function (x) { return x && intId(x.topic) !== -1; }).sort(byGrowth);
  var rows = forming.map(function (f) { return { kind: 'forming', item: f }; });
  topics.filter(isRising).forEach(function (x) { rows.push({ kind: 'topic', item: x }); });
  topics.filter(function (x) { return !isRising(x); }).forEach(function (x) {
    if (rows.length < MIN_RISING) rows.push({ kind: 'topic', item: x });
  });
  return rows;
}

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = String(text);
  return e;
}
function growthText(g) {
  g = Number(g);
  if (!isFinite(g)) return '–';
  return '×' + (g >= 10 ? g.toFixed(0) : g.toFixed(1));
}
function risingWords(x) { return words(x.words, 6).join(', '); }

function formingRow(f) {
  var li = el('li', 'rising-row forming');
  li.dataset.forming = String(intId(f.forming_id));
  li.appendChild(el('span', 'badge forming', 'forming'));
  var name = el('span', 'rising-label', short(f.label, 70));
  name.title = String(f.label == null ? '' : f.label);
  li.appendChild(name);
  var size = el('span', 'rising-num', num(f.size) + ' docs');
  size.title = 'documents in the forming topic; ' + (Number(f.growth) || 0).toFixed(2) + ' of the posts since its first one';
  li.appendChild(size);
  li.appendChild(el('span', 'words', risingWords(f)));
  return li;
}
function topicRow(x) {
  var id = intId(x.topic);
  var signal = SIGNALS.indexOf(x.signal) >= 0 ? x.signal : 'stable';
  var li = el('li', 'rising-row topic ' + signal);
  li.dataset.topic = String(id);
  li.appendChild(el('span', 'badge ' + signal, signal));
  var a = el('a', 'topic-link rising-label', short(x.label, 70));
  a.href = '#/topic/' + id;
  a.title = String(x.label == null ? '' : x.label);
  var sw = el('span', 'swatch');
  sw.style.background = colorOf(id);
  var name = el('span', 'rising-name');
  name.appendChild(sw);
  name.appendChild(a);
  li.appendChild(name);
  var g = el('span', 'rising-num', growthText(x.growth));
  g.title = 'growth: its share of the newest documents over its share of the longer past';
  li.appendChild(g);
  li.appendChild(el('span', 'words', risingWords(x)));
  return li;
}

function renderRising(source) {
  var t = state.trending;
  var list = $('rising');
  var rows = risingRows(t);
  var frag = document.createDocumentFragment();
  rows.forEach(function (r) { frag.appendChild(r.kind === 'forming' ? formingRow(r.item) : topicRow(r.item)); });
  list.replaceChildren(frag);
  list.dataset.at = String(t.at);
  list.dataset.source = source;
  note('rising-note', rows.length ? '' : 'Nothing yet: growth needs enough documents in the window for a baseline.');
  $('rising-at').textContent = 'after the batch of ' + fmtDate(t.at) + ' · model v' + intId(t.model_version);
}
/** A trending state (api/trending or the event stream); an older one than the page shows is ignored. */
function onTrending(body, source) {
  if (!body || typeof body !== 'object') return;
  if (source === 'stream') $('rising').dataset.streamed = String(intId($('rising').dataset.streamed) + 1);
  if (typeof body.error === 'string') {
    state.trending = null;
    $('rising').replaceChildren();
    note('rising-note', 'Off: ' + body.error);
    return;
  }
  if (state.trending && String(body.at) < String(state.trending.at)) return;
  state.trending = body;
  renderRising(source);
}
var loadTrending = coalesce(function () {
  return api('api/trending').then(function (b) { onTrending(b, 'api'); }, function (e) {
    if (!state.trending) note('rising-note', errText(e));
  });
});
`;
