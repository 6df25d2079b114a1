/**
 * The request pipeline, all of it inside one error boundary: method → body → target → route →
 * access → handler. Nothing a client sends can throw past it; an error in a handler is logged and
 * answered with a 500 (or, when the answer had begun, by closing the connection).
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import type { TokenAuth } from './auth.js';
import { sendError } from './respond.js';
import type { Access, Route } from './types.js';
import { parseTarget } from './target.js';

/** A request body is never read; up to this many bytes of one are discarded, then the connection is closed. */
export const MAX_DISCARDED_BODY_BYTES = 4 * 1024 * 1024;

export interface HandlerDeps {
  findRoute(path: string): { route: Route; params: string[] } | undefined;
  auth: TokenAuth;
  protectMetrics: boolean;
  log: Logger;
}

/** True when the request announces a body (a non-zero Content-Length, or any Transfer-Encoding). */
function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length.trim() !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Lets a body stream past without keeping it (so the answer reaches the client and the connection
 * can be reused); a body over MAX_DISCARDED_BODY_BYTES ends the connection.
 */
function discardBody(req: http.IncomingMessage): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > MAX_DISCARDED_BODY_BYTES) req.socket.destroy();
  });
  req.on('error', () => {}); // an aborted upload is not our error
}

function allowed(deps: HandlerDeps, access: Access, req: http.IncomingMessage): boolean {
  if (access === 'token') return deps.auth.allows(req);
  if (access === 'metrics') return !deps.protectMetrics || deps.auth.allows(req);
  return true; // open, and the dashboard (which checks for itself)
}

async function dispatch(deps: HandlerDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? '';
  if (method !== 'GET' && method !== 'HEAD') {
    if (hasBody(req)) discardBody(req);
    return sendError(res, 405, `method ${method.slice(0, 20)} is not allowed; this API is read-only (GET, HEAD)`, { allow: 'GET, HEAD' });
  }
  if (hasBody(req)) {
    discardBody(req);
    return sendError(res, 413, 'request bodies are not accepted (this API is read-only)');
  }
  const target = parseTarget(req.url);
  if (!target.ok) return sendError(res, target.code, target.message);
  const found = deps.findRoute(target.path);
  if (!found) return sendError(res, 404, `no route ${target.path.slice(0, 200)}`);
  if (!allowed(deps, found.route.access, req)) {
    return sendError(res, 401, 'missing or wrong bearer token (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer realm="topicstream"' });
  }
  await found.route.handle({ req, res, query: target.query, params: found.params });
}

/** The server's 'request' listener. */
export function createRequestHandler(deps: HandlerDeps): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const fail = (e: unknown) => {
      deps.log.error({ err: e, method: req.method, url: req.url?.slice(0, 200) }, 'HTTP handler failed');
      if (!res.headersSent) sendError(res, 500, 'internal error (details in the service log)');
      else res.destroy();
    };
    try {
      dispatch(deps, req, res).catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}
