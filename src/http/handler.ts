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
import { BadRequestError, parseTarget } from './target.js';
import { discardBody, hasBody, readBody } from './body.js';


/** Methods of a route that does not name its own. */
const READ_METHODS: readonly string[] = ['GET', 'HEAD'];

export interface HandlerDeps {
  findRoute(path: string): { route: Route; params: string[] } | undefined;
  auth: TokenAuth;
  protectMetrics: boolean;
  log: Logger;
}

function allowed(deps: HandlerDeps, access: Access, req: http.IncomingMessage): boolean {
  if (access === 'token') return deps.auth.allows(req);
  if (access === 'metrics') return !deps.protectMetrics || deps.auth.allows(req);
  return true; // open, and the dashboard (which checks for itself)
}

async function dispatch(deps: HandlerDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? '';
  const target = parseTarget(req.url);
  const found = target.ok ? deps.findRoute(target.path) : undefined;
  const methods = found?.route.methods ?? READ_METHODS;
  if (!methods.includes(method)) {
    if (hasBody(req)) discardBody(req);
    const why = found?.route.methods ? `this route takes ${methods.join(', ')}` : 'this API is read-only (GET, HEAD)';
    return sendError(res, 405, `method ${method.slice(0, 20)} is not allowed; ${why}`, { allow: methods.join(', ') });
  }
  const maxBody = found?.route.maxBodyBytes ?? 0;
  if (hasBody(req) && maxBody === 0) {
    discardBody(req);
    return sendError(res, 413, 'request bodies are not accepted (this API is read-only)');
  }
  if (!target.ok) return sendError(res, target.code, target.message);
  if (!found) return sendError(res, 404, `no route ${target.path.slice(0, 200)}`);
  if (!allowed(deps, found.route.access, req)) {
    if (hasBody(req)) discardBody(req);
    return sendError(res, 401, 'missing or wrong bearer token (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer realm="topicstream"' });
  }
  const body = maxBody > 0 ? await readBody(req, res, maxBody) : undefined;
  if (body === 'aborted') return;
  if (body === 'too_large') return sendError(res, 413, `the request body is limited to ${maxBody} bytes`, { connection: 'close' });
  await found.route.handle({ req, res, query: target.query, params: found.params, method, body });
}

/** The server's 'request' listener. */
export function createRequestHandler(deps: HandlerDeps): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const fail = (e: unknown) => {
      if (e instanceof BadRequestError && !res.headersSent) return sendError(res, 400, e.message);
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
