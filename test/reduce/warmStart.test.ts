import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mulberry32 } from '../../src/core/random.js';
import { warmLayout } from '../../src/reduce/fast/warmStart.js';
import { fastUmap } from '../../src/reduce/fast/fastUmap.js';
import type { KnnGraph } from '../../src/core/types.js';

/** A k-NN graph from explicit neighbour lists (each row: the point itself first). */
function graph(rows: number[][]): KnnGraph {
  const k = rows[0]!.length;
  return { n: rows.length, k, indices: Int32Array.from(rows.flat()), distances: new Float32Array(rows.length * k).fill(0.1) };
}

test('a warm start keeps known points, puts a new one at its placed neighbours\' mean, and one with only new neighbours in a later round', () => {
  // points 0..3 known on a line; 4 is new beside 0 and 1; 5 is new and sees only 4
  const g = graph([[0, 1, 4], [1, 0, 4], [2, 3, 1], [3, 2, 1], [4, 0, 1], [5, 4, 4]]);
  const layout = Float32Array.from([0, 0, 10, 0, 20, 0, 30, 0, 0, 0, 0, 0]);
  const known = Uint8Array.from([1, 1, 1, 1, 0, 0]);
  const out = warmLayout(g, { layout, known }, 2, new Mulberry32(1));
  // rescaled to [0, 10] per dimension: x in [0, 30] becomes x / 3 (y has no spread: 0)
  const x = (i: number) => out[i * 2]!;
  for (const [i, want] of [[0, 0], [1, 10 / 3], [2, 20 / 3], [3, 10], [4, 5 / 3], [5, 5 / 3]] as const) assert.ok(Math.abs(x(i) - want) < 0.02, `point ${i}: ${x(i)} vs ${want}`);
});

test('fastUmap from a warm start returns a finite layout of the right shape; a layout of the wrong size is refused', () => {
  const n = 60;
  const rng = new Mulberry32(3);
  const pts = Array.from({ length: n }, (_, i) => [Math.floor(i / 20) * 10 + rng.next(), rng.next()]);
  const rows = pts.map((p, i) => pts.map((q, j) => ({ j, d: (p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2 })).sort((a, b) => a.d - b.d || (a.j === i ? -1 : 1)).slice(0, 6).map((x) => x.j));
  const g = graph(rows);
  const cold = fastUmap(g, { nNeighbors: 5, nComponents: 2, init: 'random', nEpochs: 50, seed: 1 });
  const known = new Uint8Array(n).fill(1);
  known[5] = 0;
  const warm = fastUmap(g, { nNeighbors: 5, nComponents: 2, nEpochs: 20, seed: 2, learningRate: 0.1, initial: { layout: cold, known } });
  assert.equal(warm.length, n * 2);
  assert.ok(warm.every(Number.isFinite));
  assert.throws(() => fastUmap(g, { nNeighbors: 5, nComponents: 2, initial: { layout: new Float32Array(4), known: new Uint8Array(2) } }), /warm start/);
});
