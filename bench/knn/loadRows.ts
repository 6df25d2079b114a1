/**
 * Embeddings for the hand-run k-NN measurements: a `.f32` file of row-major float32 rows with a
 * sidecar `.json` ({rows, cols} as bench/reduce/realData.ts writes, or {n, dim} as the stream
 * bench's cache), or a `topicstream fit --out` folder (model/embeddings.f32 + model/manifest.json).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createMatrix, type Matrix } from '../../src/core/types.js';

export function loadRows(src: string, limit = Infinity): Matrix {
  let file: string;
  let rows: number;
  let cols: number;
  if (statSync(src).isDirectory()) {
    const m = JSON.parse(readFileSync(path.join(src, 'model', 'manifest.json'), 'utf8')) as { n_docs: number; dim: number };
    file = path.join(src, 'model', 'embeddings.f32');
    rows = m.n_docs;
    cols = m.dim;
  } else {
    file = src.endsWith('.f32') ? src : `${src}.f32`;
    const side = file.replace(/\.f32$/, '.json');
    const meta = (existsSync(side) ? JSON.parse(readFileSync(side, 'utf8')) : {}) as { rows?: number; cols?: number; n?: number; dim?: number };
    cols = meta.cols ?? meta.dim ?? 384;
    rows = meta.rows ?? meta.n ?? statSync(file).size / 4 / cols;
  }
  const buf = readFileSync(file);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const n = Math.min(rows, limit);
  return createMatrix(n, cols, all.slice(0, n * cols));
}
