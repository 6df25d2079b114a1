/**
 * The dashboard's scripts, served by us (no CDN): ECharts' minified build from the installed
 * `echarts` package (read once, on first request) and the page's own script. Both may be cached
 * by the browser for an hour; everything else the port answers is `no-store`.
 */
import { echartsSource } from '../report/renderHtml.js';
import { DASHBOARD_SCRIPT } from './dashboard/index.js';
import { sendText } from './respond.js';
import type { Route } from './types.js';

const JS = 'text/javascript; charset=utf-8';
const CACHE = { 'cache-control': 'private, max-age=3600' };

function scriptRoute(source: () => string): Route {
  let text: string | undefined;
  return { access: 'token', handle: ({ res }) => sendText(res, 200, (text ??= source()), JS, CACHE) };
}

export function assetRoutes(): Array<[string, Route]> {
  return [
    ['/assets/echarts.min.js', scriptRoute(echartsSource)],
    ['/assets/dashboard.js', scriptRoute(() => DASHBOARD_SCRIPT)],
  ];
}
