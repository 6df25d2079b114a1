/**
 * The service's one HTTP port: /metrics (Prometheus), /healthz, /readyz, the JSON API and the
 * dashboard page at /. Read-only (GET and HEAD), optionally behind a bearer token, with bounded
 * headers, request time and search concurrency; src/http/README.md has the details.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import { TokenAuth } from './auth.js';
import { createRequestHandler } from './handler.js';
import { rawResponse } from './respond.js';
import { createRoutes } from './routes.js';
import { SearchLimiter } from './searchLimiter.js';
import type { ApiContext, HttpOptions, ServerLimits } from './types.js';

export type { ApiContext, HttpOptions, SearchHit, SearchResult, ServerLimits, TopicView } from './types.js';

/** The server's own limits (not settings: its clients are probes, Prometheus and a dashboard). */
export const SERVER_LIMITS: Readonly<ServerLimits> = {
  maxHeaderSize: 16 * 1024,
  maxHeadersCount: 100,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  timeoutCheckMs: 2_000,
  socketIdleMs: 60_000,
  maxConnections: 1024,
  closeGraceMs: 3_000,
};

export const DEFAULT_SEARCH_TIMEOUT_MS = 20_000;

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/** Parse errors answered on the raw socket: the request never became a `req`, so there is no `res`. */
function onClientError(limits: ServerLimits, log: Logger): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    log.debug({ code: err.code, reason: err.message }, 'HTTP client error');
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      socket.end(rawResponse(431, 'Request Header Fields Too Large', `request line and headers are limited to ${limits.maxHeaderSize} bytes`));
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end(rawResponse(408, 'Request Timeout', 'the request did not arrive in time'));
    } else {
      socket.end(rawResponse(400, 'Bad Request', 'malformed HTTP request'));
    }
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function createServer(ctx: ApiContext, opts: HttpOptions, limits: ServerLimits, log: Logger): http.Server {
  const auth = new TokenAuth(opts.token);
  const limiter = new SearchLimiter(opts.searchConcurrency, opts.searchQueue);
  const findRoute = createRoutes({ ctx, auth, limiter, searchTimeoutMs: opts.searchTimeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS, maxLiveClients: opts.maxLiveClients, log });
  const handler = createRequestHandler({ findRoute, auth, protectMetrics: opts.protectMetrics ?? false, log });
  const server = http.createServer({
    maxHeaderSize: limits.maxHeaderSize,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckMs,
  });
  server.on('request', handler);
  // `Expect: 100-continue` goes to the same handler without a 100: a refused body is never sent
  server.on('checkContinue', handler);
  server.on('clientError', onClientError(limits, log));
  // CONNECT never reaches 'request'; answered here, like every other method but GET and HEAD
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => {
    socket.on('error', () => {});
    socket.end(rawResponse(405, 'Method Not Allowed', 'method CONNECT is not allowed; this API is read-only (GET, HEAD)', 'allow: GET, HEAD\r\n'));
  });
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.socketIdleMs);
  return server;
}

async function listen(server: http.Server, port: number, host: string, log: Logger): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`HTTP port ${port} is already in use; set --port or http.port (0 = any free port)`) : e),
    );
    server.listen(port, host, () => resolve());
  });
  // an unhandled 'error' event would end the process; once listening, one (e.g. EMFILE on accept) is only logged
  server.on('error', (e: Error) => log.error({ err: e }, 'HTTP server error'));
}

/**
 * Starts the server on host:port (port 0: any free port). `opts` are the `http` settings (token,
 * protectMetrics, searchConcurrency, searchQueue); without a token the port is open.
 */
export async function startHttpServer(ctx: ApiContext, port: number, host: string, log: Logger, opts: HttpOptions): Promise<RunningHttpServer> {
  const limits: ServerLimits = { ...SERVER_LIMITS, ...opts.limits };
  const server = createServer(ctx, opts, limits, log);
  await listen(server, port, host, log);
  if (!opts.token && !isLoopback(host)) log.warn({ host }, 'HTTP API and dashboard are reachable beyond this host without a token (set http.token or TOPICSTREAM_HTTP_TOKEN)');
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), limits.closeGraceMs).unref();
    });
  return { server, port: (server.address() as AddressInfo).port, close };
}
