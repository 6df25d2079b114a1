/**
 * The live dashboard (`/`): one HTML page (page.ts), its script served at `assets/dashboard.js`
 * (the client*.ts parts, run in one function scope) and its CSP. ECharts comes from
 * `assets/echarts.min.js` (node_modules/echarts, served by the service; no CDN). No inline script:
 * the CSP allows scripts from the page's own origin only.
 */
import { createHash } from 'node:crypto';
import { pageHtml } from './page.js';
import { CLIENT_CORE } from './clientCore.js';
import { CLIENT_CHARTS } from './clientCharts.js';
import { CLIENT_PANELS } from './clientPanels.js';
import { CLIENT_TOPIC } from './clientTopic.js';
import { CLIENT_TRENDING } from './clientTrending.js';
import { CLIENT_MAIN } from './clientMain.js';

/** Scripts from the origin only; inline styles (ECharts sets them); API calls and the event stream to the origin. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page's JavaScript (plain ES2020 for the browser), served as `assets/dashboard.js`. */
export const DASHBOARD_SCRIPT = ['(function () {', "'use strict';", CLIENT_CORE, CLIENT_CHARTS, CLIENT_PANELS, CLIENT_TOPIC, CLIENT_TRENDING, CLIENT_MAIN, '})();', ''].join('\n');

/** The page; it asks for `assets/dashboard.js?v=<hash of the script>` (the assets may be cached for an hour). */
export const DASHBOARD_HTML = pageHtml(createHash('sha256').update(DASHBOARD_SCRIPT).digest('hex').slice(0, 12));
