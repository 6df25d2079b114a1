/**
 * The dashboard script, part 4: the topic page (#/topic/<id>): its label with an edit box (PUT /
 * DELETE api/topics/:id/label), words with scores as bars, the size at each refit, representative
 * documents and the lineage (born from, split from / into, merged with, died), with versions and
 * dates.
 */
export const CLIENT_TOPIC = String.raw`
/** One lineage event as seen from topic "id" (HTML, escaped). */
function lineageText(ev, id) {
  var rel = relatedOf(ev);
  var mine = intId(ev.topic_id) === id;
  var other = quoted(ev.topic_id, ev.label != null ? ev.label : null);
  switch (ev.type) {
    case 'born': return mine ? 'born' + (rel.length ? ' from ' + listText(rel) : '') : 'gave documents to the new topic ' + other;
    case 'split': return mine ? 'split from ' + (rel[0] || 'another topic') : 'split into ' + other;
    case 'merged': return mine ? 'merged into ' + (rel[0] || 'another topic') : 'merged with ' + other + ' (absorbed it)';
    case 'died': return mine ? 'died' + (rel.length ? ' (its documents to ' + listText(rel) + ')' : '') : 'took documents of ' + other + ' when it died';
    default: return esc(ev.type) + (mine ? '' : ' ' + other);
  }
}
function renderLineage(list, id) {
  var evs = (list || []).filter(function (e) { return e && e.type !== 'continued'; }).slice().sort(function (a, b) {
    return (a.model_version - b.model_version) || String(a.at).localeCompare(String(b.at));
  });
  $('tp-lineage').innerHTML = evs.length ? evs.map(function (ev) {
    return '<li class="lineage ' + esc(ev.type) + '"><span class="v">v' + intId(ev.model_version) + '</span> · ' + lineageText(ev, id) +
      ' <span class="sim">' + esc(fmtDate(ev.at)) + '</span></li>';
  }).join('') : '<li class="about">No lifecycle events in the kept history.</li>';
}

function renderTopicHead(t) {
  var id = intId(t.id);
  $('tp-title').innerHTML = '<span class="swatch" style="background:' + colorOf(id) + '"></span><span class="tid">#' + id + '</span><span id="tp-label-text">' + esc(t.label) + '</span>' +
    (t.custom_label ? '<span class="custom" title="label set by a user">custom</span>' : '') +
    (t.status && t.status !== 'active' ? ' <span class="status-retired">' + esc(t.status) + '</span>' : '');
  $('tp-meta').innerHTML = '<b>' + num(t.size) + '</b> documents in the window · born in v' + intId(t.born_version) +
    (t.parent != null ? ' · parent ' + topicLink(t.parent, null, 40) : '');
  var input = $('tp-label');
  if (!state.labelDirty && document.activeElement !== input) input.value = t.custom_label || t.label || '';
  $('tp-label-reset').disabled = !t.custom_label;
  document.title = short(t.label, 40) + ' · topicstream';
}

function renderTopic() {
  var t = state.detail;
  if (!t) return;
  var id = intId(t.id);
  var live = state.byId[id];
  renderTopicHead(live ? Object.assign({}, t, { label: live.label, custom_label: live.custom_label, size: live.size, status: live.status }) : t);
  var ws = (t.words || []).slice(0, 10).reverse();
  draw('words', $('tp-words'), {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (p) { var x = p[0]; return esc(x.name) + ': ' + Number(x.value).toFixed(4); } },
    grid: { left: 110, right: 20, top: 10, bottom: 28 },
    xAxis: { type: 'value', axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: ws.map(function (w) { return w.word; }), axisLabel: { fontSize: 11 } },
    series: [{ id: 'words', name: 'score', type: 'bar', itemStyle: { color: colorOf(id) }, data: ws.map(function (w) { return w.score; }) }]
  });
  var h = state.history && Array.isArray(state.history.history) ? state.history.history : null;
  var xs, ys, tips;
  if (h) {
    xs = h.map(function (x) { return 'v' + x.model_version; });
    ys = h.map(function (x) { return x.size; });
    tips = h.map(function (x) { return esc(fmtDate(x.at)) + '<br>' + esc(words(x.words, 8).join(', ')); });
  } else {
    var tr = t.trend || [];
    xs = tr.map(function (_, i) { return String(i - tr.length + 1); });
    ys = tr;
    tips = tr.map(function () { return ''; });
  }
  draw('history', $('tp-history'), {
    tooltip: { trigger: 'axis', formatter: function (p) { var x = p[0]; return '<b>' + esc(x.name) + '</b>: ' + num(x.value) + ' documents<br>' + (tips[x.dataIndex] || ''); } },
    grid: { left: 48, right: 16, top: 30, bottom: 28 },
    xAxis: { type: 'category', data: xs },
    yAxis: { type: 'value', name: 'documents', nameTextStyle: { fontSize: 11 } },
    series: [{ id: 'size', name: 'size', type: 'line', symbolSize: 5, itemStyle: { color: colorOf(id) }, areaStyle: { opacity: 0.15 }, data: ys }]
  });
  var docs = t.representative_docs || [];
  $('tp-docs').innerHTML = docs.length ? docs.map(function (d) { return '<li class="doc rep-doc">' + esc(short(d, 800)) + '</li>'; }).join('') : '<li class="about">None.</li>';
  renderLineage(t.lineage || (state.history && state.history.lineage), id);
  document.body.dataset.topicRendered = String(id);
}

var loadTopic = coalesce(function () {
  var id = state.topicId;
  if (id == null) return;
  return Promise.all([
    api('api/topics/' + id),
    api('api/topics/' + id + '/history').catch(function () { return null; })
  ]).then(function (r) {
    if (state.topicId !== id) return;
    state.detail = r[0];
    state.history = r[1];
    note('tp-note', '');
    renderTopic();
  }, function (e) {
    if (state.topicId !== id) return;
    state.detail = null;
    $('tp-title').textContent = 'Topic ' + id;
    $('tp-meta').textContent = '';
    $('tp-docs').innerHTML = '';
    $('tp-lineage').innerHTML = '';
    note('tp-note', errText(e));
  });
});

function labelMsg(text, error) {
  var el = $('tp-label-msg');
  el.textContent = text;
  el.className = error ? 'error' : '';
}
function sendLabel(method, body) {
  var id = state.topicId;
  if (id == null) return;
  labelMsg('saving…');
  api('api/topics/' + id + '/label', { method: method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: body ? JSON.stringify(body) : undefined })
    .then(function (t) {
      state.labelDirty = false;
      labelMsg(method === 'DELETE' ? 'back to the automatic label' : 'saved');
      if (t && intId(t.id) === id) {
        var cur = state.byId[id];
        if (cur) { cur.label = t.label; cur.custom_label = t.custom_label; renderTable(); }
        if (state.detail) { state.detail.label = t.label; state.detail.custom_label = t.custom_label; }
        $('tp-label').value = t.custom_label || t.label || '';
        renderTopic();
      }
    }, function (e) { labelMsg(errText(e), true); });
}
`;
