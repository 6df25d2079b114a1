/**
 * Loads embeddings exported as raw float32 (`<name>.f32`, row-major) with a JSON sidecar
 * `<name>.json` = {"rows", "cols", "labels"?: string[]}. Used by the hand-run measurements only.
 */
import { readFileSync } from 'node:fs';
import { createMatrix, type Matrix } from '../../src/core/types.js';

export function loadEmbeddings(base: string, limit = Infinity): { x: Matrix; labels?: Int32Array; labelNames?: string[] } {
  const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { rows: number; cols: number; labels?: string[] };
  const buf = readFileSync(`${base}.f32`);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const rows = Math.min(meta.rows, limit);
  const x = createMatrix(rows, meta.cols, all.slice(0, rows * meta.cols));
  if (!meta.labels) return { x };
  const names = [...new Set(meta.labels)].sort();
  const id = new Map(names.map((s, i) => [s, i]));
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = id.get(meta.labels[i]!)!;
  return { x, labels, labelNames: names };
}
