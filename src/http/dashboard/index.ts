/**
 * The live dashboard: one HTML page, its script (served at `assets/dashboard.js`) and its CSP.
 * ECharts comes from `assets/echarts.min.js` (node_modules/echarts, served by us; no CDN).
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>topicstream</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="app">loading…</div>
<script src="assets/echarts.min.js"></script>
<script src="assets/dashboard.js"></script>
</body></html>`;

export const DASHBOARD_SCRIPT = `document.getElementById('app').textContent = 'topicstream';`;
