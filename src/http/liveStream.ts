/**
 * GET /api/stream: the live feed as server-sent events (`topics`, `events`, `refit`; see
 * src/service/liveFeed.ts). At most `maxLiveClients` at once (more: 503). A comment every
 * KEEPALIVE_MS keeps proxies and the server's idle timeout from closing a quiet stream; a client
 * that does not read (its unsent data over MAX_BUFFERED_BYTES) is cut off rather than buffered.
 */
import { COMMON_HEADERS, sendError } from './respond.js';
import type { FeedEvent, RouteCall, RouteDeps } from './types.js';

export const KEEPALIVE_MS = 15_000;
/** Data a slow client may leave unread before it is disconnected. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** What EventSource waits before reconnecting. */
const RETRY_MS = 3000;

export function liveStreamRoute(deps: RouteDeps): (call: RouteCall) => void {
  const maxClients = deps.maxLiveClients;
  let clients = 0;
  return ({ req, res, method }) => {
    if (clients >= maxClients) return sendError(res, 503, `too many live dashboards (${maxClients}); try again later`, { 'retry-after': 10 });
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    if (method === 'HEAD') return void res.end();
    clients++;
    res.write(`retry: ${RETRY_MS}\n\n`);
    const send = (text: string): void => {
      if (res.destroyed || res.writableEnded) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        deps.log.warn({ buffered: res.writableLength }, 'a live dashboard does not read its stream; disconnecting it');
        return void res.destroy();
      }
      res.write(text);
    };
    const keepalive = setInterval(() => send(': keep-alive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    let ended = false;
    let unsubscribe = (): void => {};
    const end = (): void => {
      if (ended) return;
      ended = true;
      clients--;
      clearInterval(keepalive);
      unsubscribe();
      if (!res.writableEnded) res.end();
    };
    unsubscribe = deps.ctx.subscribe((event: FeedEvent, json: string) => send(`event: ${event}\ndata: ${json}\n\n`), end);
    req.once('close', end);
    res.once('close', end);
  };
}
