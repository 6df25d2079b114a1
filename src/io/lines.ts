/**
 * Reads a JSON Lines file (plain or gzip, told by its magic bytes) as raw byte lines, so that a line
 * with invalid UTF-8 can be rejected on its own instead of being silently mangled by a decoder
 * that works on the whole stream.
 */
import { createReadStream, existsSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface RawLine {
  /** 1-based line number */
  lineNo: number;
  bytes: Buffer;
}

export class InputError extends Error {
  override name = 'InputError';
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export function openInput(file: string): Readable {
  if (!existsSync(file)) throw new InputError(`input file not found: ${file}`);
  if (statSync(file).isDirectory()) throw new InputError(`input is a folder, not a file: ${file}`);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (!isGzip(file)) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/** Yields every line (without the trailing \n or \r\n); blank lines are yielded too, as empty buffers. */
export async function* readRawLines(file: string): AsyncGenerator<RawLine> {
  const stream = openInput(file);
  let pending: Buffer[] = [];
  let lineNo = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0) break;
        const piece = chunk.subarray(start, nl);
        const bytes = pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        lineNo++;
        yield { lineNo, bytes: stripCr(bytes) };
        start = nl + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (e) {
    const msg = (e as Error).message;
    throw new InputError(`cannot read ${file} after line ${lineNo}: ${msg}`);
  }
  if (pending.length) {
    lineNo++;
    yield { lineNo, bytes: stripCr(Buffer.concat(pending)) };
  }
}

function stripCr(b: Buffer): Buffer {
  return b.length && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
}
