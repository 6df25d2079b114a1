/**
 * The dashboard page: plain HTML + a little script polling the JSON API (no build step, no CDN).
 * Its API calls are same-origin, so the session cookie (see auth.ts) goes with them.
 */

/** The page's inline script and style are its only code: nothing loads from elsewhere. */
export const DASHBOARD_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>topicstream</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
 header{background:#1d2430;color:#fff;padding:10px 18px;display:flex;gap:24px;align-items:baseline}
 header h1{font-size:18px;margin:0} header span{opacity:.85}
 main{display:grid;grid-template-columns:2fr 1fr;gap:16px;padding:16px}
 section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0001}
 table{border-collapse:collapse;width:100%} td,th{padding:4px 6px;text-align:left;border-bottom:1px solid #eee;vertical-align:top}
 .bar{background:#4a7bd0;height:10px;border-radius:3px} .words{color:#444} .ev{font-family:monospace;font-size:12px}
 .born{color:#1a7f37}.died{color:#b42318}.merged{color:#7a4cc2}.split{color:#b54708}
 input{padding:6px;width:70%} button{padding:6px 10px}
</style></head><body>
<header><h1>topicstream</h1><span id="status">loading…</span></header>
<main>
 <section><h2>Topics</h2><table><thead><tr><th>id</th><th>size</th><th></th><th>top words</th></tr></thead><tbody id="topics"></tbody></table></section>
 <div>
  <section><h2>Search</h2><form id="f"><input id="q" placeholder="text to place in a topic"> <button>search</button></form><div id="res"></div></section>
  <section><h2>Events</h2><div id="events"></div></section>
 </div>
</main>
<script>
const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function api(path){
  const res = await fetch(path);
  if (res.status === 401) throw new Error('unauthorised: open this page as ?token=<token> once');
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || 'HTTP ' + res.status);
  return res.json();
}
async function refresh(){
  try{
    const r = await api('api/topics');
    const s = r.status || {};
    document.getElementById('status').textContent =
      'model v' + (s.model_version ?? 0) + ' · ' + (s.window_docs ?? 0) + ' docs in window · ' + (r.topics.filter(t => t.id !== -1).length) + ' topics · ' + (s.consumed ?? 0) + ' consumed';
    const real = r.topics.filter(t => t.id !== -1);
    const outliers = (r.topics.find(t => t.id === -1) || {size: 0}).size;
    document.getElementById('status').textContent += ' · ' + outliers + ' outliers';
    const max = Math.max(1, ...real.map(t => t.size));
    document.getElementById('topics').innerHTML = real.sort((a,b)=>b.size-a.size).map(t =>
      '<tr><td>'+t.id+'</td><td>'+t.size+'</td><td style="width:120px"><div class="bar" style="width:'+(100*t.size/max)+'%"></div></td><td class="words">'+
      esc(t.words.slice(0,8).map(w=>w.word).join(', '))+'</td></tr>').join('');
    const e = await api('api/events?limit=30');
    document.getElementById('events').innerHTML = e.events.slice().reverse().map(ev =>
      '<div class="ev '+ev.type+'">v'+ev.model_version+' '+ev.type+' '+ev.topic_id+(ev.related.length?' ← '+ev.related.join(','):'')+'</div>').join('');
  }catch(err){ document.getElementById('status').textContent = 'unreachable: '+err; }
}
document.getElementById('f').onsubmit = async ev => {
  ev.preventDefault();
  const q = document.getElementById('q').value; if(!q) return;
  let r;
  try { r = await api('api/search?q='+encodeURIComponent(q)); }
  catch(err){ document.getElementById('res').textContent = String(err.message || err); return; }
  document.getElementById('res').innerHTML = '<p>topic <b>'+r.topic+'</b> (p='+(r.probability??0).toFixed(2)+')</p>'+
    (r.hits||[]).map(h => '<div class="ev">'+h.similarity.toFixed(2)+' ['+h.topic+'] '+esc(h.text.slice(0,120))+'</div>').join('');
};
refresh(); setInterval(refresh, 2000);
</script></body></html>`;
