/**
 * The dashboard script, part 6: the hash router (#/ and #/topic/<id>), the server-sent events
 * (EventSource on api/stream: `topics`, `events`, `refit`, `trending`; no polling) and the start.
 */
export const CLIENT_MAIN = String.raw`
function onTopics(body) {
  if (!body || !Array.isArray(body.topics)) return;
  var before = state.topics.map(function (t) { return t.id + ':' + t.label; }).join('|');
  state.topics = body.topics;
  state.byId = {};
  body.topics.forEach(function (t) { state.byId[t.id] = t; });
  state.status = body.status || state.status;
  renderStatus();
  renderTable();
  var after = state.topics.map(function (t) { return t.id + ':' + t.label; }).join('|');
  // labels are drawn in the charts too: redraw them when one changed
  if (before !== after) {
    if (state.drawn.overTime) drawOverTime();
    if (state.drawn.map) drawMap();
  }
  if (state.topicId != null && state.detail) {
    var live = state.byId[state.topicId];
    if (live && (live.size !== state.detail.size || live.born_version !== state.detail.born_version)) loadTopic();
    else renderTopic();
  }
}
function onRefit() {
  loadOverTime();
  loadMap();
  if (state.topicId != null) loadTopic();
}
var loadTopics = coalesce(function () {
  return api('api/topics').then(onTopics, function (e) { $('status').textContent = 'unreachable: ' + errText(e); });
});
function loadAll() {
  loadTopics();
  loadEvents();
  loadOverTime();
  loadMap();
  loadTrending();
  if (state.topicId != null) loadTopic();
}

function parse(ev) {
  try { return JSON.parse(ev.data); } catch (e) { return null; }
}
var source = null, opened = false, retryMs = 2000;
/** EventSource reconnects by itself after a dropped connection; only when it gives up (an HTTP error) is a new one made, with backoff. */
function connect() {
  if (typeof EventSource !== 'function') { setConn('offline'); return; }
  source = new EventSource('api/stream');
  source.addEventListener('open', function () {
    setConn('live');
    retryMs = 2000;
    // after a reconnect (e.g. the service restarted) what was missed is fetched again
    if (opened) loadAll();
    opened = true;
  });
  source.addEventListener('topics', function (ev) { onTopics(parse(ev)); });
  source.addEventListener('events', function (ev) { var b = parse(ev); if (b) addEvents(b.events, false); });
  source.addEventListener('refit', function () { onRefit(); });
  source.addEventListener('trending', function (ev) { onTrending(parse(ev), 'stream'); });
  source.addEventListener('error', function () {
    if (source.readyState === 2) {
      setConn('offline');
      source.close();
      setTimeout(connect, retryMs);
      retryMs = Math.min(60000, retryMs * 2);
    } else setConn('reconnecting');
  });
}

function route() {
  var m = /^#\/topic\/(-?\d{1,15})$/.exec(location.hash);
  var id = m ? Number(m[1]) : null;
  $('overview').hidden = id !== null;
  $('topic-view').hidden = id === null;
  if (id === null) {
    state.topicId = null;
    document.title = 'topicstream';
    resizeCharts();
    return;
  }
  if (state.topicId !== id) {
    state.detail = null;
    state.history = null;
    state.labelDirty = false;
    labelMsg('');
    $('tp-label').value = '';
    delete document.body.dataset.topicRendered;
    $('tp-title').textContent = 'Topic ' + id;
  }
  state.topicId = id;
  window.scrollTo(0, 0);
  resizeCharts();
  loadTopic();
}

function start() {
  $('ot-refit').addEventListener('click', function () { state.otMode = 'refit'; drawOverTime(); });
  $('ot-bucket').addEventListener('click', function () { state.otMode = 'bucket'; drawOverTime(); });
  $('search-form').addEventListener('submit', function (ev) { ev.preventDefault(); search($('search-q').value); });
  $('tp-label').addEventListener('input', function () { state.labelDirty = true; });
  $('tp-label-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var v = $('tp-label').value.trim();
    if (!v) { labelMsg('a label needs 1 to 80 characters; "Automatic" goes back to the automatic one', true); return; }
    sendLabel('PUT', { label: v });
  });
  $('tp-label-reset').addEventListener('click', function () { sendLabel('DELETE'); });
  window.addEventListener('hashchange', route);
  window.addEventListener('resize', resizeCharts);
  route();
  setConn('connecting');
  connect();
  loadAll();
}
start();
`;
