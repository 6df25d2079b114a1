/** Writing responses: JSON and text bodies with the headers every answer carries. */
import type http from 'node:http';

/** Headers on every answer: nothing is cached, nothing sniffed, no page may frame us. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export type ExtraHeaders = Record<string, string | number | string[]>;

export function sendText(res: http.ServerResponse, code: number, body: string, contentType: string, headers: ExtraHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(code, { ...COMMON_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: http.ServerResponse, code: number, body: unknown, headers: ExtraHeaders = {}): void {
  sendText(res, code, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

/** An error answer: `{"error": message}`. */
export function sendError(res: http.ServerResponse, code: number, message: string, headers: ExtraHeaders = {}): void {
  sendJson(res, code, { error: message }, headers);
}

/** A minimal raw HTTP/1.1 answer for a socket whose request could not be parsed (no `res` exists). */
export function rawResponse(code: number, reason: string, message: string, extraHeaderLines = ''): string {
  const body = JSON.stringify({ error: message });
  return (
    `HTTP/1.1 ${code} ${reason}\r\n` +
    extraHeaderLines +
    'content-type: application/json; charset=utf-8\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    'cache-control: no-store\r\n' +
    'connection: close\r\n\r\n' +
    body
  );
}
