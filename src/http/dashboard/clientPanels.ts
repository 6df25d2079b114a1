/**
 * The dashboard script, part 3: the event timeline (topics named by label: "v5 · split: 'a' from
 * 'b'") and search (the closest topics to a text, as BERTopic's find_topics, and the nearest
 * documents).
 */
export const CLIENT_PANELS = String.raw`
function relatedOf(ev) {
  var labels = ev.related_labels || [];
  return (ev.related || []).map(function (r, i) { return quoted(r, labels[i] != null ? labels[i] : null); });
}
function listText(items) {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
}
/** One event in words, its topics named (HTML, escaped). */
function describe(ev) {
  var me = quoted(ev.topic_id, ev.label != null ? ev.label : null);
  var rel = relatedOf(ev);
  switch (ev.type) {
    case 'split': return 'split: ' + me + (rel.length ? ' from ' + rel[0] : '');
    case 'born': return 'born: ' + me + (rel.length ? ' from ' + listText(rel) : '');
    case 'merged': return 'merged: ' + me + (rel.length ? ' into ' + rel[0] : '');
    case 'died': return 'died: ' + me + (rel.length ? ' (its documents to ' + listText(rel) + ')' : '');
    default: return esc(ev.type) + ': ' + me;
  }
}
function eventKey(ev) { return [ev.type, ev.topic_id, ev.model_version, (ev.related || []).join('.'), ev.at].join('|'); }
var MAX_EVENTS = 500;
function addEvents(list, replace) {
  if (replace) state.events = [];
  var seen = {};
  state.events.forEach(function (e) { seen[eventKey(e)] = true; });
  (list || []).forEach(function (e) {
    if (!e || typeof e !== 'object' || seen[eventKey(e)]) return;
    seen[eventKey(e)] = true;
    state.events.push(e);
  });
  state.events.sort(function (a, b) { return (intId(a.model_version) - intId(b.model_version)) || String(a.at).localeCompare(String(b.at)); });
  if (state.events.length > MAX_EVENTS) state.events = state.events.slice(-MAX_EVENTS);
  renderEvents();
}
function renderEvents() {
  var shown = state.events.filter(function (e) { return e.type !== 'continued'; }).slice().reverse();
  $('events').innerHTML = shown.length ? shown.map(function (ev) {
    var verb = esc(ev.type);
    var html = describe(ev).replace(/^([a-z]+):/, '<span class="type">$1</span>:');
    return '<div class="ev ' + verb + '" data-topic="' + intId(ev.topic_id) + '"><span class="v">v' + intId(ev.model_version) + '</span> · ' + html +
      '<span class="at">' + esc(fmtDate(ev.at)) + '</span></div>';
  }).join('') : '<p class="about">No events yet.</p>';
}
var loadEvents = coalesce(function () {
  // merged with what the page has (a restarted service may have fewer to tell)
  return api('api/events?limit=200').then(function (b) { addEvents(b && b.events, false); }, function (e) {
    if (state.events.length) return;
    $('events').innerHTML = '<p class="note">' + esc(errText(e)) + '</p>';
  });
});

function renderSearch(q, r) {
  var out = '';
  var topics = Array.isArray(r.topics) ? r.topics : null;
  if (topics) {
    out += '<h3>Closest topics</h3>' + (topics.length ? '<ol class="search-topics">' + topics.map(function (t) {
      return '<li class="search-topic" data-topic="' + intId(t.id) + '"><span class="sim">' + (Number(t.similarity) || 0).toFixed(2) + '</span>' +
        topicLink(t.id, t.label, 60) + '<div class="words">' + esc(words(t.words, 10).join(', ')) + '</div></li>';
    }).join('') + '</ol>' : '<p class="about">No topics yet.</p>');
  } else if (typeof r.topic === 'number') {
    var t = state.byId[r.topic];
    out += '<h3>Closest topic</h3><ol class="search-topics"><li class="search-topic" data-topic="' + intId(r.topic) + '"><span class="sim">p ' + (Number(r.probability) || 0).toFixed(2) + '</span>' +
      topicLink(r.topic, null, 60) + '<div class="words">' + esc(t ? words(t.words, 10).join(', ') : '') + '</div></li></ol>';
  }
  var hits = Array.isArray(r.hits) ? r.hits : [];
  out += '<h3>Nearest documents</h3>' + (hits.length ? '<ol class="search-hits">' + hits.map(function (h) {
    return '<li class="search-hit"><span class="sim">' + (Number(h.similarity) || 0).toFixed(2) + '</span>' + topicLink(h.topic, null, 40) +
      '<div class="doc" title="' + esc(short(h.text, 1000)) + '">' + esc(short(h.text, 400)) + '</div></li>';
  }).join('') + '</ol>' : '<p class="about">No documents.</p>');
  var box = $('search-results');
  box.innerHTML = out;
  box.dataset.query = q;
  box.dataset.state = 'done';
}
var searchSeq = 0;
function search(q) {
  var box = $('search-results');
  q = q.trim();
  if (!q) { box.innerHTML = '<p class="note">Type a word or a sentence.</p>'; box.dataset.state = 'error'; return; }
  var seq = ++searchSeq;
  box.dataset.state = 'running';
  box.innerHTML = '<p class="about">searching…</p>';
  api('api/search?q=' + encodeURIComponent(q) + '&k=10').then(function (r) {
    if (seq === searchSeq) renderSearch(q, r || {});
  }, function (e) {
    if (seq !== searchSeq) return;
    var busy = e && (e.status === 429 || e.status === 503);
    box.innerHTML = '<p class="note">' + esc(busy ? 'The service is busy, try again in a moment (' + errText(e) + ')' : errText(e)) + '</p>';
    box.dataset.state = 'error';
  });
}
`;
