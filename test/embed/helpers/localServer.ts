/** A throwaway HTTP server on 127.0.0.1 serving fixed routes, for download tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  type?: string;
  body: string | Uint8Array;
}

export interface LocalServer {
  url: string;
  /** request paths in arrival order */
  hits: string[];
  close(): Promise<void>;
}

export async function serve(routes: (path: string, req: http.IncomingMessage) => Route | undefined): Promise<LocalServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    hits.push(p);
    const r = routes(p, req);
    if (!r) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
    res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 with nothing listening (connections are refused at once). */
export async function closedPort(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
