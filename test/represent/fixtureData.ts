/** Loads the reference fixtures made by test/fixtures/represent/make_fixtures.py. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/paths.js';
import type { CsrMatrix } from '../../src/represent/csr.js';

export function loadFixture<T>(area: string, name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, area, name), 'utf8')) as T;
}

export interface CsrJson {
  rows: number;
  cols: number;
  indptr: number[];
  indices: number[];
  data: number[];
}

export interface DocsFixture {
  groups: string[];
  ids: string[];
  docs: string[];
  labels: number[];
  newsgroups: (string | null)[];
}

export function docsFixture(): DocsFixture {
  return loadFixture<DocsFixture>('represent', 'docs.json');
}

/** Asserts two count matrices hold the same entries (exact). */
export function csrEntries(m: CsrMatrix | CsrJson): Map<string, number> {
  const out = new Map<string, number>();
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) out.set(`${r},${m.indices[p]}`, m.data[p]!);
  }
  return out;
}

export function relClose(actual: number, expected: number, rel: number, abs = 1e-12): boolean {
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}
