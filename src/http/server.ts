/**
 * The service's one HTTP port: /metrics (Prometheus), /healthz, /readyz, the JSON API and the
 * dashboard page at /.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { DASHBOARD_HTML } from './dashboard.js';

export interface TopicView {
  id: number;
  status: string;
  label: string;
  size: number;
  words: Array<{ word: string; score: number }>;
  parent: number | null;
  born_version: number;
  representative_doc_ids?: string[];
  representative_docs?: string[];
}

export interface SearchHit {
  id: string;
  text: string;
  topic: number;
  similarity: number;
}

/** What the HTTP layer needs from the service; kept narrow so the server can be tested alone. */
export interface ApiContext {
  metrics(): Promise<{ contentType: string; body: string }>;
  readiness(): { ready: boolean; checks: Record<string, boolean> };
  liveness(): { alive: boolean; notReadyForSeconds: number };
  topics(includeRetired: boolean): TopicView[];
  topic(id: number): TopicView | undefined;
  search(q: string, k: number): Promise<{ topic: number; probability: number; hits: SearchHit[] }>;
  events(limit: number): unknown[];
  status(): Record<string, unknown>;
}

function send(res: http.ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(code, { 'content-type': type === 'application/json' ? 'application/json; charset=utf-8' : type, 'cache-control': 'no-store' });
  res.end(text);
}

export async function startHttpServer(ctx: ApiContext, port: number, host: string, log: Logger): Promise<{ server: http.Server; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const handle = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'only GET is supported' });
      if (p === '/metrics') {
        const m = await ctx.metrics();
        return send(res, 200, m.body, m.contentType);
      }
      if (p === '/healthz') {
        const l = ctx.liveness();
        return send(res, l.alive ? 200 : 503, l.alive ? { status: 'ok' } : { status: 'unhealthy', reason: `not ready for ${l.notReadyForSeconds}s` });
      }
      if (p === '/readyz') {
        const r = ctx.readiness();
        return send(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks });
      }
      if (p === '/api/topics') return send(res, 200, { topics: ctx.topics(url.searchParams.get('all') === '1'), status: ctx.status() });
      const m = /^\/api\/topics\/(-?\d+)$/.exec(p);
      if (m) {
        const t = ctx.topic(Number(m[1]));
        return t ? send(res, 200, t) : send(res, 404, { error: `no topic ${m[1]}` });
      }
      if (p === '/api/search') {
        const q = url.searchParams.get('q');
        if (!q || !q.trim()) return send(res, 400, { error: 'missing query parameter q' });
        if (q.length > 10_000) return send(res, 400, { error: 'q is longer than 10000 characters' });
        const k = Math.min(50, Math.max(1, Number(url.searchParams.get('k') ?? 10) || 10));
        return send(res, 200, await ctx.search(q, k));
      }
      if (p === '/api/events') return send(res, 200, { events: ctx.events(Math.min(1000, Number(url.searchParams.get('limit') ?? 100) || 100)) });
      if (p === '/api/status') return send(res, 200, ctx.status());
      if (p === '/' || p === '/index.html') return send(res, 200, DASHBOARD_HTML, 'text/html; charset=utf-8');
      return send(res, 404, { error: `no route ${p}` });
    };
    handle().catch((e: unknown) => {
      log.error({ err: e, path: p }, 'HTTP handler failed');
      if (!res.headersSent) send(res, 500, { error: (e as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`HTTP port ${port} is already in use; set --port or http.port (0 = any free port)`) : e),
    );
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
