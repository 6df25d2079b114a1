// Raw HTTP/1.1 over a TCP socket (node:net), for requests fetch() would refuse or normalise:
// targets such as `//` or `/%zz`, 64 KB request lines, unknown methods, large bodies. Always to
// 127.0.0.1; every call is bounded by a timeout.
import { connect } from 'node:net';

export interface RawAnswer {
  /** the status code of the first answer, if one arrived */
  status?: number;
  /** the answer's head (status line and headers), lower-cased header names */
  headers: Record<string, string>;
  body: string;
  /** the socket error that ended the exchange (e.g. ECONNRESET when the server cut an upload), if any */
  error?: string;
  timedOut: boolean;
}

export interface RawRequestOptions {
  /** upper bound for the whole exchange; default 10 s */
  timeoutMs?: number;
  /**
   * Half-close our side once the request is written (default false). Node's HTTP server takes a
   * half-close for a client that left and drops an answer still in the making (e.g. a queued search).
   */
  end?: boolean;
}

function parseAnswer(bytes: Buffer): Pick<RawAnswer, 'status' | 'headers' | 'body'> {
  const text = bytes.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const [statusLine = '', ...lines] = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: m ? Number(m[1]) : undefined, headers, body: split >= 0 ? text.slice(split + 4) : '' };
}

/** Sends `request` as is and reads until the server closes (or the timeout); use `Connection: close`. */
export function rawRequest(port: number, request: string | Buffer | Buffer[], opts: RawRequestOptions = {}): Promise<RawAnswer> {
  const chunks = Array.isArray(request) ? request : [typeof request === 'string' ? Buffer.from(request, 'latin1') : request];
  return new Promise<RawAnswer>((resolve) => {
    const received: Buffer[] = [];
    let error: string | undefined;
    let timedOut = false;
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, opts.timeoutMs ?? 10_000);
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseAnswer(Buffer.concat(received)), error, timedOut });
    });
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      if (opts.end === true) socket.end();
    });
  });
}

export interface BuiltRequest {
  method?: string;
  target: string;
  /** extra header lines, e.g. `Authorization: Bearer x` */
  headers?: string[];
  /** sent with a Content-Length */
  body?: Buffer;
  /** default true: `Connection: close` */
  close?: boolean;
}

/** The bytes of `METHOD target HTTP/1.1` with a Host header, extra headers and a body. */
export function buildRequest(r: BuiltRequest): Buffer[] {
  const head = [`${r.method ?? 'GET'} ${r.target} HTTP/1.1`, 'Host: 127.0.0.1', ...(r.close === false ? [] : ['Connection: close']), ...(r.headers ?? [])];
  if (r.body) head.push(`Content-Length: ${r.body.length}`);
  const out: Buffer[] = [Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1')];
  if (r.body) out.push(r.body);
  return out;
}
