/**
 * The routes: which paths exist, who may call them (`access`), and what they answer. Paths are
 * matched raw (never percent-decoded); query values come from URLSearchParams.
 */
import { DASHBOARD_HTML, DASHBOARD_CSP } from './dashboard/index.js';
import { COMMON_HEADERS, sendError, sendJson, sendText } from './respond.js';
import { flagParam, intParam } from './target.js';
import { searchRoute } from './search.js';
import { labelRoute } from './labelRoute.js';
import { liveStreamRoute } from './liveStream.js';
import { assetRoutes } from './assets.js';
import { OPENAPI } from './openapi.js';
import type { ApiContext, Route, RouteCall, RouteDeps } from './types.js';

function dashboard(deps: RouteDeps, { req, res, query }: RouteCall): void {
  const offered = query.get('token');
  if (deps.auth.enabled && offered !== null) {
    if (!deps.auth.matches(offered)) return sendError(res, 401, 'wrong token', { 'www-authenticate': 'Bearer realm="topicstream"' });
    // trade the token in the address for a cookie, and drop it from the address bar
    res.writeHead(303, { ...COMMON_HEADERS, location: './', 'set-cookie': deps.auth.sessionCookie(), 'content-length': 0 });
    res.end();
    return;
  }
  if (!deps.auth.allows(req)) {
    return sendError(res, 401, 'this dashboard needs the token: open /?token=<token> once, or send Authorization: Bearer <token>', {
      'www-authenticate': 'Bearer realm="topicstream"',
    });
  }
  sendText(res, 200, DASHBOARD_HTML, 'text/html; charset=utf-8', { 'content-security-policy': DASHBOARD_CSP });
}

/** A route of one topic: `get` answers for its id (undefined: 404). */
function topicRoute(get: (id: number) => unknown): Route {
  return {
    access: 'token',
    handle: ({ res, params }) => {
      const id = Number(params[0]);
      const t = Number.isSafeInteger(id) ? get(id) : undefined;
      if (t !== undefined) sendJson(res, 200, t);
      else sendError(res, 404, `no topic ${params[0]!.slice(0, 40)}`);
    },
  };
}

async function mapRoute(ctx: ApiContext, { res }: RouteCall): Promise<void> {
  sendJson(res, 200, await ctx.map());
}

async function metrics(ctx: ApiContext, { res }: RouteCall): Promise<void> {
  const m = await ctx.metrics();
  sendText(res, 200, m.body, m.contentType);
}

function healthz(ctx: ApiContext, { res }: RouteCall): void {
  const l = ctx.liveness();
  sendJson(res, l.alive ? 200 : 503, l.alive ? { status: 'ok' } : { status: 'unhealthy', reason: `no batch completed for ${l.stuckForSeconds} s while input is waiting` });
}

function readyz(ctx: ApiContext, { res }: RouteCall): void {
  const r = ctx.readiness();
  sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks });
}

function fixedRoutes(deps: RouteDeps): Map<string, Route> {
  const { ctx } = deps;
  const page: Route = { access: 'dashboard', handle: (c) => dashboard(deps, c) };
  return new Map<string, Route>([
    ['/metrics', { access: 'metrics', handle: (c) => metrics(ctx, c) }],
    ['/healthz', { access: 'open', handle: (c) => healthz(ctx, c) }],
    ['/readyz', { access: 'open', handle: (c) => readyz(ctx, c) }],
    ['/api/topics', { access: 'token', handle: ({ res, query }) => sendJson(res, 200, { topics: ctx.topics(flagParam(query, 'all')), status: ctx.status() }) }],
    ['/api/over-time', { access: 'token', handle: ({ res }) => sendJson(res, 200, ctx.overTime()) }],
    ['/api/map', { access: 'token', handle: (c) => mapRoute(ctx, c) }],
    ['/api/stream', { access: 'token', handle: liveStreamRoute(deps) }],
    ['/api/openapi.json', { access: 'open', handle: ({ res }) => sendJson(res, 200, OPENAPI) }],
    ['/api/search', { access: 'token', handle: (c) => searchRoute(deps, c) }],
    ['/api/events', { access: 'token', handle: ({ res, query }) => sendJson(res, 200, { events: ctx.events(intParam(query, 'limit', 1, 1000, 100)) }) }],
    ['/api/trending', { access: 'token', handle: ({ res }) => sendJson(res, 200, ctx.trending() ?? { error: 'stream.trend.enabled is false' }) }],
    ['/api/status', { access: 'token', handle: ({ res }) => sendJson(res, 200, ctx.status()) }],
    ['/', page],
    ['/index.html', page],
    ...assetRoutes(),
  ]);
}

/** The route table: a lookup from a raw path to its route and captured groups. */
export function createRoutes(deps: RouteDeps): (path: string) => { route: Route; params: string[] } | undefined {
  const fixed = fixedRoutes(deps);
  const perTopic: Record<string, Route> = {
    '': topicRoute((id) => deps.ctx.topic(id)),
    '/history': topicRoute((id) => deps.ctx.history(id)),
    '/label': labelRoute(deps.ctx),
  };
  return (path) => {
    const route = fixed.get(path);
    if (route) return { route, params: [] };
    const m = /^\/api\/topics\/(-?\d{1,15})(\/label|\/history)?$/.exec(path);
    return m ? { route: perTopic[m[2] ?? '']!, params: [m[1]!] } : undefined;
  };
}
