/**
 * Request bodies: most routes refuse them (read-only API); the few that take one (PUT
 * /api/topics/:id/label) read it up to a small bound. A refused body is let past without being kept.
 */
import type http from 'node:http';

/** A refused request body is discarded up to this many bytes, then the connection is closed. */
export const MAX_DISCARDED_BODY_BYTES = 4 * 1024 * 1024;

/** True when the request announces a body (a non-zero Content-Length, or any Transfer-Encoding). */
export function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length.trim() !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Lets a body stream past without keeping it (so the answer reaches the client and the connection
 * can be reused); a body over MAX_DISCARDED_BODY_BYTES ends the connection.
 */
export function discardBody(req: http.IncomingMessage): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > MAX_DISCARDED_BODY_BYTES) req.socket.destroy();
  });
  req.on('error', () => {}); // an aborted upload is not our error
}

/**
 * Reads a body of at most `max` bytes. Beyond that (announced or sent) it is 'too_large' and the
 * rest is discarded; an aborted upload is 'aborted'. `Expect: 100-continue` is answered here.
 */
export function readBody(req: http.IncomingMessage, res: http.ServerResponse, max: number): Promise<Buffer | 'too_large' | 'aborted'> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > max) {
    discardBody(req);
    return Promise.resolve('too_large');
  }
  if (/100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      discardBody(req);
      resolve('too_large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(size <= max ? Buffer.concat(chunks) : 'too_large'));
    req.on('error', () => resolve('aborted'));
    req.on('aborted', () => resolve('aborted'));
  });
}
