/**
 * HTTP helpers for model provisioning: fetch with a deadline for the response headers (so an
 * unreachable host fails fast, while a large body may take as long as it needs), and a streaming
 * download that reports bytes and computes the sha256 on the way.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ByteProgress = (loaded: number, total: number) => void;

/** fetch() whose promise rejects if no response headers arrive within `timeoutMs`. */
export async function fetchWithDeadline(url: string, timeoutMs: number, init: RequestInit = {}): Promise<Response> {
  const ctrl = new AbortController();
  const outer = init.signal;
  if (outer) outer.addEventListener('abort', () => ctrl.abort(outer.reason), { once: true });
  const timer = setTimeout(() => ctrl.abort(new Error(`no response from ${hostOf(url)} within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await fetch(url, { ...init, signal: ctrl.signal });
  } catch (e) {
    throw new Error(`${hostOf(url)}: ${describeFetchError(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Readable reason for a fetch failure (undici hides the useful part in `cause`). */
export function describeFetchError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return code ? `${cause.message} (${code})` : cause.message;
  }
  return e.message;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export interface DownloadResult {
  bytes: Uint8Array;
  sha256: string;
}

/** Downloads `url` into memory, reporting progress; rejects on a non-2xx status. */
export async function download(url: string, opts: { timeoutMs: number; onProgress?: ByteProgress }): Promise<DownloadResult> {
  const res = await fetchWithDeadline(url, opts.timeoutMs);
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  const total = Number(res.headers.get('content-length') ?? 0);
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  opts.onProgress?.(0, total);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    chunks.push(chunk);
    loaded += chunk.length;
    opts.onProgress?.(loaded, total);
  }
  if (total && loaded !== total) throw new Error(`${url}: got ${loaded} of ${total} bytes`);
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export { sha256 as sha256Of } from '../../core/sha256.js';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes a file atomically (temp file + rename), creating its folder. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
