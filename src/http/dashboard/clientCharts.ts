/**
 * The dashboard script, part 2: topics over time (stacked, per refit or per `ts` bucket) and the
 * topic map (one "topics" series with a mark per topic at its centroid, one "documents" series with
 * the sampled documents). Series carry ids ("topic-<id>", "topics", "documents") so a test can
 * count marks through ECharts' getOption().
 */
export const CLIENT_CHARTS = String.raw`
function seriesName(id, fallback) {
  var t = state.byId[id];
  return '#' + intId(id) + ' ' + short(t && t.label ? t.label : fallback || labelOf(id), 48);
}

function axisTip(params) {
  var list = (Array.isArray(params) ? params : [params]).filter(function (p) { return p.value != null; });
  var head = list.length ? list[0].axisValueLabel : '';
  var val = function (p) { return Array.isArray(p.value) ? p.value[1] : p.value; };
  var shown = list.filter(function (p) { return val(p) > 0; }).sort(function (a, b) { return val(b) - val(a); });
  var more = shown.length > 12 ? '<br>… and ' + (shown.length - 12) + ' more' : '';
  return '<b>' + esc(head) + '</b><br>' + shown.slice(0, 12).map(function (p) {
    return '<span class="swatch" style="background:' + colorOf(p.seriesId.slice(6)) + '"></span>' + esc(p.seriesName) + ': ' + num(val(p));
  }).join('<br>') + more;
}

function drawOverTime() {
  var ot = state.overTime || {};
  var refits = ot.refits && Array.isArray(ot.refits.versions) ? ot.refits : null;
  var buckets = ot.buckets && Array.isArray(ot.buckets.starts) ? ot.buckets : null;
  $('ot-bucket').disabled = !buckets;
  var mode = state.otMode === 'bucket' && buckets ? 'bucket' : 'refit';
  $('ot-refit').setAttribute('aria-pressed', String(mode === 'refit'));
  $('ot-bucket').setAttribute('aria-pressed', String(mode === 'bucket'));
  var base = {
    tooltip: { trigger: 'axis', confine: true, formatter: axisTip },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 4, bottom: 4, itemWidth: 14, textStyle: { fontSize: 10, width: 190, overflow: 'truncate' }, tooltip: { show: true } },
    grid: { left: 52, right: 230, top: 30, bottom: 36 },
    yAxis: { type: 'value', name: 'documents', nameTextStyle: { fontSize: 11 } }
  };
  var line = function (s, data) {
    return { id: 'topic-' + intId(s.id), name: seriesName(s.id, s.label), type: 'line', stack: 'docs', symbol: 'none',
      areaStyle: { opacity: 0.6 }, lineStyle: { width: 1 }, itemStyle: { color: colorOf(s.id) }, emphasis: { focus: 'series' }, data: data };
  };
  var z = function (v) { return typeof v === 'number' && isFinite(v) ? v : 0; };
  if (mode === 'refit') {
    var at = refits ? refits.at || [] : [];
    base.xAxis = { type: 'category', boundaryGap: false, data: refits ? refits.versions.map(function (v, i) { return 'v' + v + (at[i] ? ' · ' + fmtDate(at[i]).slice(5, 16) : ''); }) : [] };
    base.series = (refits ? refits.series : []).filter(function (s) { return intId(s.id) !== -1; }).map(function (s) { return line(s, (s.sizes || []).map(z)); });
    $('ot-about').textContent = 'Documents per topic in the window at each refit (stacked).';
  } else {
    base.xAxis = { type: 'time' };
    base.series = buckets.series.filter(function (s) { return intId(s.id) !== -1; }).map(function (s) {
      return line(s, (s.counts || []).map(function (c, i) { return [buckets.starts[i], z(c)]; }));
    });
    $('ot-about').textContent = 'Documents in the window per topic and ' + bucketText(buckets.seconds) + ' of their ts (stacked, by current topic).';
  }
  draw('overTime', $('over-time'), base);
  note('over-time-note', base.series.length ? '' : state.overTimeError || 'Nothing yet: topics over time appear after the first refit.');
  state.drawn.overTime = true;
  markRendered();
}
function bucketText(sec) {
  if (!(sec > 0)) return 'time bucket';
  if (sec % 86400 === 0) return sec === 86400 ? 'day' : sec / 86400 + '-day bucket';
  if (sec % 3600 === 0) return sec === 3600 ? 'hour' : sec / 3600 + '-hour bucket';
  if (sec % 60 === 0) return sec / 60 + '-minute bucket';
  return sec + '-second bucket';
}

function drawMap() {
  var m = state.map || {};
  var topics = (m.topics || []).filter(function (t) { return intId(t.id) !== -1; });
  var docs = m.docs || [];
  var maxSize = Math.max.apply(null, topics.map(function (t) { return t.size; }).concat([1]));
  draw('map', $('map'), {
    tooltip: { trigger: 'item', confine: true, extraCssText: 'max-width:420px;white-space:normal;', formatter: function (p) {
      if (p.seriesId === 'topics') {
        var id = p.value[3];
        var t = state.byId[id];
        return '<b>' + esc(labelOf(id)) + '</b> (#' + intId(id) + ')<br>' + num(p.value[2]) + ' documents' + (t ? '<br>' + esc(words(t.words, 8).join(', ')) : '');
      }
      var d = docs[p.value[3]];
      return '<b>' + esc(labelOf(p.value[2])) + '</b><br>' + esc(short(d ? d.text : '', 300));
    } },
    grid: { left: 36, right: 36, top: 36, bottom: 30 },
    xAxis: { type: 'value', scale: true, show: false },
    yAxis: { type: 'value', scale: true, show: false },
    series: [
      { id: 'documents', name: 'documents', type: 'scatter', symbolSize: 4, z: 1, large: false,
        itemStyle: { opacity: 0.5, color: function (p) { return colorOf(p.value[2]); } },
        data: docs.map(function (d, i) { return [d.x, d.y, d.topic, i]; }) },
      { id: 'topics', name: 'topics', type: 'scatter', z: 3,
        symbolSize: function (v) { return 10 + 38 * Math.sqrt(v[2] / maxSize); },
        itemStyle: { opacity: 0.85, borderColor: '#fff', borderWidth: 1, color: function (p) { return colorOf(p.value[3]); } },
        label: { show: true, position: 'top', fontSize: 10, color: '#1d2430', formatter: function (p) { return short(labelOf(p.value[3]), 28); } },
        labelLayout: { hideOverlap: true },
        data: topics.map(function (t) { return [t.x, t.y, t.size, intId(t.id)]; }) }
    ]
  });
  if (!state.mapClicks) {
    state.mapClicks = true;
    charts.map.on('click', function (p) {
      var id = p.seriesId === 'topics' ? p.value[3] : p.value[2];
      if (intId(id) !== -1) location.hash = '#/topic/' + intId(id);
    });
  }
  note('map-note', topics.length ? '' : state.mapError || 'No map yet: it appears after the first refit.');
  state.drawn.map = true;
  markRendered();
}

var loadOverTime = coalesce(function () {
  return api('api/over-time').then(function (b) { state.overTime = b; state.overTimeError = null; }, function (e) { state.overTimeError = 'Topics over time: ' + errText(e); })
    .then(drawOverTime);
});
var loadMap = coalesce(function () {
  return api('api/map').then(function (b) { state.map = b; state.mapError = null; }, function (e) { state.mapError = 'Map: ' + errText(e); })
    .then(drawMap);
});
`;
