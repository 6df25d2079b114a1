import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMatrix } from '../../src/core/types.js';
import { pca } from '../../src/reduce/pca.js';
import { Mulberry32 } from '../../src/core/random.js';

/** 2000 points in 30-d with standard deviations 10, 5, 2 along three fixed orthonormal axes, 0.1 elsewhere. */
function anisotropic(): { x: ReturnType<typeof createMatrix>; axes: Float64Array[] } {
  const n = 2000;
  const d = 30;
  const rng = new Mulberry32(9);
  const axes: Float64Array[] = [];
  for (let a = 0; a < 3; a++) {
    const v = new Float64Array(d).map(() => rng.nextGaussian());
    for (const u of axes) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += u[t]! * v[t]!;
      for (let t = 0; t < d; t++) v[t] -= dot * u[t]!;
    }
    const norm = Math.hypot(...v);
    axes.push(v.map((z) => z / norm));
  }
  const x = createMatrix(n, d);
  const sd = [10, 5, 2];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) x.data[i * d + t] = 7 + 0.1 * rng.nextGaussian();
    for (let a = 0; a < 3; a++) {
      const c = sd[a]! * rng.nextGaussian();
      for (let t = 0; t < d; t++) x.data[i * d + t] += c * axes[a]![t]!;
    }
  }
  return { x, axes };
}

test('pca finds the main axes and their variances', () => {
  const { x, axes } = anisotropic();
  const r = pca(x, 3, { seed: 1 });
  assert.equal(r.scores.rows, 2000);
  assert.equal(r.scores.cols, 3);
  const want = [100, 25, 4];
  for (let c = 0; c < 3; c++) {
    let dot = 0;
    for (let t = 0; t < 30; t++) dot += r.components[t * 3 + c]! * axes[c]![t]!;
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-3, `axis ${c}: |cos| = ${Math.abs(dot)}`);
    assert.ok(Math.abs(r.variances[c]! - want[c]!) / want[c]! < 0.1, `variance ${c}: ${r.variances[c]}`);
  }
  // scores are centred
  for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let i = 0; i < 2000; i++) s += r.scores.data[i * 3 + c]!;
    assert.ok(Math.abs(s / 2000) < 1e-3);
  }
});

test('pca is deterministic for a seed and independent of it up to tolerance', () => {
  const { x } = anisotropic();
  const a = pca(x, 2, { seed: 5 }).scores.data;
  const b = pca(x, 2, { seed: 5 }).scores.data;
  assert.deepEqual(a, b);
  const c = pca(x, 2, { seed: 6 }).scores.data;
  for (let t = 0; t < a.length; t++) assert.ok(Math.abs(a[t]! - c[t]!) < 1e-2 * 10);
});
