/**
 * The report page's script (plain browser JavaScript, run after the inlined ECharts): draws each
 * figure from the JSON in #report-data. Every chart is kept in window.reportCharts (the browser
 * test reads them).
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = (window.reportCharts = {});
  var labelOf = {};
  data.topics.forEach(function (t) { labelOf[t.id] = t.label; });
  labelOf[-1] = '-1 (outliers)';
  var colorOf = {};
  data.topics.forEach(function (t, i) { colorOf[t.id] = 'hsl(' + Math.round((i * 137.508) % 360) + ', 62%, 48%)'; });
  colorOf[-1] = '#bbbbbb';
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function draw(name, el, option) {
    option.animation = false;
    var c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption(option);
    charts[name] = c;
  }

  function bars() {
    var box = document.getElementById('bars');
    data.topics.forEach(function (t) {
      var el = document.createElement('div');
      el.className = 'chart bar-chart';
      el.setAttribute('data-topic', t.id);
      box.appendChild(el);
      var words = t.words.slice().reverse();
      draw('bar:' + t.id, el, {
        title: { text: 'Topic ' + t.id, subtext: t.size + ' documents', left: 'center', textStyle: { fontSize: 13 } },
        grid: { left: 90, right: 16, top: 52, bottom: 24 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', axisLabel: { fontSize: 9 } },
        yAxis: { type: 'category', data: words.map(function (w) { return w.word; }), axisLabel: { fontSize: 10 } },
        series: [{ type: 'bar', name: t.label, itemStyle: { color: colorOf[t.id] }, data: words.map(function (w) { return w.score; }) }]
      });
    });
  }

  function documents() {
    draw('map', document.getElementById('map'), {
      tooltip: { trigger: 'item', confine: true, extraCssText: 'max-width: 420px; white-space: normal;',
        formatter: function (p) { return '<b>' + esc(p.seriesName) + '</b><br>' + esc(data.map.texts[p.value[2]]); } },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 10, bottom: 10, textStyle: { fontSize: 10 } },
      grid: { left: 30, right: 220, top: 20, bottom: 30 },
      xAxis: { type: 'value', scale: true, show: false },
      yAxis: { type: 'value', scale: true, show: false },
      series: data.map.series.map(function (s) {
        return { type: 'scatter', name: labelOf[s.id], data: s.points, symbolSize: s.id === -1 ? 4 : 6,
          itemStyle: { color: colorOf[s.id], opacity: s.id === -1 ? 0.4 : 0.8 } };
      })
    });
  }

  function overTime() {
    var el = document.getElementById('over-time');
    if (!el || !data.overTime) return;
    var ot = data.overTime;
    var shown = ot.series.filter(function (s) { return labelOf[s.id] !== undefined; });
    draw('overTime', el, {
      tooltip: { trigger: 'item', formatter: function (p) {
        var s = shown[p.seriesIndex];
        return '<b>' + esc(p.seriesName) + '</b><br>' + esc(ot.bins[p.dataIndex]) + ': ' + p.value[1] + ' documents<br>' + esc((s.words[p.dataIndex] || []).join(', '));
      } },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 10, bottom: 10, textStyle: { fontSize: 10 } },
      grid: { left: 50, right: 220, top: 40, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'documents' },
      series: shown.map(function (s) {
        return { type: 'line', name: labelOf[s.id], showSymbol: true, symbolSize: 4, itemStyle: { color: colorOf[s.id] },
          data: s.counts.map(function (c, b) { return [ot.bins[b], c]; }) };
      })
    });
  }

  function hierarchy() {
    var el = document.getElementById('hierarchy');
    if (!el || !data.hierarchy) return;
    var h = data.hierarchy;
    var names = h.order.map(function (leaf) { return data.topics[leaf].label; });
    el.style.height = Math.max(300, 22 * names.length + 60) + 'px';
    draw('hierarchy', el, {
      grid: { left: 220, right: 30, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: 'distance', nameLocation: 'middle', nameGap: 25 },
      yAxis: { type: 'value', min: -1, max: names.length, interval: 1, splitLine: { show: false },
        axisLabel: { fontSize: 10, formatter: function (v) { return names[v] || ''; } } },
      series: [{ type: 'custom', name: 'hierarchy', data: h.links.map(function (l) { return [l.ha, l.ya, l.hb, l.yb, l.h]; }),
        renderItem: function (params, api) {
          var pts = [[api.value(0), api.value(1)], [api.value(4), api.value(1)], [api.value(4), api.value(3)], [api.value(2), api.value(3)]];
          return { type: 'polyline', shape: { points: pts.map(function (p) { return api.coord(p); }) }, style: { stroke: '#3b6ea8', lineWidth: 1.5, fill: null } };
        } }]
    });
  }

  function heatmap() {
    var el = document.getElementById('heatmap');
    if (!el || !data.heatmap) return;
    var n = data.topics.length;
    var names = data.topics.map(function (t) { return t.label; });
    var cells = [];
    for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) cells.push([j, i, data.heatmap[i * n + j]]);
    el.style.height = Math.max(400, 18 * n + 160) + 'px';
    draw('heatmap', el, {
      tooltip: { formatter: function (p) { return esc(names[p.value[1]]) + '<br>' + esc(names[p.value[0]]) + '<br>similarity ' + p.value[2].toFixed(3); } },
      grid: { left: 220, right: 80, top: 20, bottom: 140 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 60, fontSize: 9 } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 9 } },
      visualMap: { min: data.heatmap.reduce(function (a, b) { return Math.min(a, b); }, 1), max: 1, calculable: true, right: 0, top: 'middle', inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
      series: [{ type: 'heatmap', name: 'similarity', data: cells }]
    });
  }

  bars();
  documents();
  overTime();
  hierarchy();
  heatmap();
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  document.body.setAttribute('data-rendered', 'true');
})();
`;
