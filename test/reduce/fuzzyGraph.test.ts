import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/paths.js';
import type { KnnGraph } from '../../src/core/types.js';
import { smoothKnnDistances } from '../../src/reduce/fast/smoothKnnDistances.js';
import { fuzzySimplicialSet } from '../../src/reduce/fast/fuzzySimplicialSet.js';
import { findAbParams } from '../../src/reduce/fast/abParams.js';
import { layoutEdges } from '../../src/reduce/fast/layoutEdges.js';

interface Ref {
  n: number;
  k: number;
  knn_indices: number[];
  knn_dists: number[];
  sigmas: number[];
  rhos: number[];
  graph: { rows: number[]; cols: number[]; vals: number[] };
  ab: Array<{ spread: number; min_dist: number; a: number; b: number }>;
}

const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'reduce', 'umap_reference.json'), 'utf8')) as Ref;
const knn: KnnGraph = { n: ref.n, k: ref.k, indices: Int32Array.from(ref.knn_indices), distances: Float32Array.from(ref.knn_dists) };

test('smooth kNN distances match umap-learn (sigmas, rhos)', () => {
  const { sigmas, rhos } = smoothKnnDistances(knn);
  for (let i = 0; i < ref.n; i++) {
    assert.ok(Math.abs(rhos[i]! - ref.rhos[i]!) < 1e-6, `rho ${i}: ${rhos[i]} vs ${ref.rhos[i]}`);
    assert.ok(Math.abs(sigmas[i]! - ref.sigmas[i]!) <= 1e-5 * Math.max(1, ref.sigmas[i]!), `sigma ${i}: ${sigmas[i]} vs ${ref.sigmas[i]}`);
  }
});

test('fuzzy simplicial set matches umap-learn entry for entry', () => {
  const g = fuzzySimplicialSet(knn);
  const want = new Map<string, number>();
  ref.graph.rows.forEach((r, t) => want.set(`${r},${ref.graph.cols[t]}`, ref.graph.vals[t]!));
  assert.equal(g.cols.length, want.size, 'number of stored entries');
  for (let i = 0; i < g.n; i++) {
    for (let t = g.rowPtr[i]!; t < g.rowPtr[i + 1]!; t++) {
      const key = `${i},${g.cols[t]}`;
      assert.ok(want.has(key), `unexpected entry ${key}`);
      assert.ok(Math.abs(g.vals[t]! - want.get(key)!) < 1e-5, `value at ${key}`);
    }
  }
});

test('fuzzy graph is symmetric, rows sorted, values in (0, 1], no self loops', () => {
  const g = fuzzySimplicialSet(knn);
  const at = (i: number, j: number): number => {
    for (let t = g.rowPtr[i]!; t < g.rowPtr[i + 1]!; t++) if (g.cols[t] === j) return g.vals[t]!;
    return 0;
  };
  for (let i = 0; i < g.n; i++) {
    for (let t = g.rowPtr[i]!; t < g.rowPtr[i + 1]!; t++) {
      const j = g.cols[t]!;
      assert.notEqual(j, i);
      if (t > g.rowPtr[i]!) assert.ok(j > g.cols[t - 1]!);
      assert.ok(g.vals[t]! > 0 && g.vals[t]! <= 1);
      assert.equal(at(j, i), g.vals[t]);
    }
  }
});

test('find_ab_params matches umap-learn', () => {
  for (const r of ref.ab) {
    const { a, b } = findAbParams(r.spread, r.min_dist);
    assert.ok(Math.abs(a - r.a) < 2e-3 * r.a, `a(${r.spread}, ${r.min_dist}) = ${a}, umap-learn ${r.a}`);
    assert.ok(Math.abs(b - r.b) < 2e-3 * r.b, `b(${r.spread}, ${r.min_dist}) = ${b}, umap-learn ${r.b}`);
  }
});

test('layout edges: weak edges pruned, epochs per sample = max / w', () => {
  const g = fuzzySimplicialSet(knn);
  const nEpochs = 200;
  const e = layoutEdges(g, nEpochs);
  let max = 0;
  for (const v of g.vals) max = Math.max(max, v);
  const kept = Array.from(g.vals).filter((v) => v >= max / nEpochs).length;
  assert.equal(e.head.length, kept);
  assert.ok(e.epochsPerSample.every((p) => p >= 1 - 1e-9 && p <= nEpochs + 1e-9));
  assert.ok(Math.min(...e.epochsPerSample) < 1 + 1e-6); // the strongest edge is sampled every epoch
});
