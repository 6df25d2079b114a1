/** The dashboard's stylesheet (inlined in the page: the CSP allows inline styles, not inline scripts). */
export const DASHBOARD_STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f8;color:#1d2430}
a{color:#2456a6;text-decoration:none} a:hover{text-decoration:underline}
header{background:#1d2430;color:#fff;padding:10px 20px;display:flex;flex-wrap:wrap;gap:8px 22px;align-items:baseline}
header h1{font-size:18px;margin:0 8px 0 0} header h1 a{color:#fff}
#status{display:flex;flex-wrap:wrap;gap:4px 18px;opacity:.92}
.stat b{font-weight:600}
#conn{margin-left:auto;font-size:12px;padding:1px 8px;border-radius:9px;background:#5b6372}
#conn.live{background:#1a7f37} #conn.reconnecting{background:#b54708} #conn.offline{background:#b42318}
main{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:16px;padding:16px 20px;max-width:1700px;margin:0 auto}
@media (max-width:1100px){main{grid-template-columns:minmax(0,1fr)}}
section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002;margin-bottom:16px}
h2{font-size:16px;margin:2px 0 8px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
h3{font-size:14px;margin:14px 0 6px}
.about{color:#5b6372;font-size:12px;margin:0 0 8px}
.note{color:#8a5a00;font-size:12px}
.chart{width:100%;height:380px}
#map{height:560px}
#topics-table{border-collapse:collapse;width:100%}
#topics-table td,#topics-table th{padding:5px 6px;text-align:left;border-bottom:1px solid #eceef2;vertical-align:middle}
#topics-table th{font-size:12px;color:#5b6372;font-weight:600}
#topics-table td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.tid{color:#8a92a0;font-size:12px;margin-right:4px}
.custom{font-size:11px;color:#7a4cc2;border:1px solid #cdb8ef;border-radius:8px;padding:0 5px;margin-left:6px;white-space:nowrap}
.words{color:#4a5262;font-size:13px}
.trend{display:flex;align-items:center;gap:6px} .spark{display:block} .growth{font-size:11px;color:#5b6372} .growth.up{color:#1a7f37} .growth.down{color:#b42318}
.modes button,.btn{font:inherit;font-size:12px;padding:3px 10px;border:1px solid #c6ccd6;background:#fff;border-radius:5px;cursor:pointer}
.modes button[aria-pressed=true]{background:#1d2430;color:#fff;border-color:#1d2430}
.modes button:disabled{opacity:.45;cursor:default}
input[type=search],input[type=text]{font:inherit;padding:5px 8px;border:1px solid #c6ccd6;border-radius:5px}
#search-form{display:flex;gap:6px} #search-q{flex:1}
#search-results{max-height:560px;overflow:auto}
#search-results ol,#tp-docs{padding-left:20px;margin:4px 0}
#search-results li,#tp-docs li{margin:4px 0}
.sim{font-variant-numeric:tabular-nums;color:#5b6372;font-size:12px;margin-right:6px}
.doc{white-space:pre-wrap;word-break:break-word}
.search-hit .doc{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
#events{max-height:720px;overflow:auto;font-size:13px}
.ev{padding:4px 0;border-bottom:1px solid #f0f1f4}
.ev .v{font-weight:600;font-variant-numeric:tabular-nums}
.ev .at{color:#8a92a0;font-size:11px;display:block}
.ev .type{font-weight:600}
.born .type{color:#1a7f37} .died .type{color:#b42318} .merged .type{color:#7a4cc2} .split .type{color:#b54708} .continued .type{color:#5b6372}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}
@media (max-width:900px){.grid2{grid-template-columns:minmax(0,1fr)}}
#tp-words,#tp-history{height:320px}
#tp-label-form{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin:6px 0}
#tp-label{width:min(420px,100%)}
#tp-label-msg{font-size:12px;color:#5b6372} #tp-label-msg.error{color:#b42318}
#tp-meta{color:#4a5262;font-size:13px}
#tp-lineage li{margin:3px 0}
.status-retired{color:#b42318;font-size:12px;font-weight:400}
#rising{list-style:none;padding:0;margin:0;max-height:420px;overflow:auto}
.rising-row{display:grid;grid-template-columns:58px minmax(0,1fr) auto;gap:0 8px;align-items:baseline;padding:4px 0;border-bottom:1px solid #f0f1f4}
.rising-row .words{grid-column:2/4;font-size:12px}
.rising-label{word-break:break-word} .rising-num{font-variant-numeric:tabular-nums;font-size:12px;color:#4a5262;white-space:nowrap}
.badge{font-size:11px;text-align:center;border:1px solid #c6ccd6;color:#5b6372;border-radius:8px;padding:0 5px;white-space:nowrap}
.badge.forming{background:#7a4cc2;border-color:#7a4cc2;color:#fff} .badge.strong{background:#1a7f37;border-color:#1a7f37;color:#fff}
.badge.weak{border-color:#1a7f37;color:#1a7f37} .badge.fading{border-color:#b42318;color:#b42318}
#rising-at{margin:6px 0 0}
[hidden]{display:none!important}
`;
