import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { normalizedMutualInfo } from '../../src/eval/nmi.js';
import type { Label } from '../../src/eval/labelCodes.js';
import { loadFixture, relClose } from '../represent/fixtureData.js';

interface ClusteringFixture {
  all_20ng_truth: number[];
  cases: { name: string; truth: Label[] | null; pred: Label[] | null; nmi: number; ari: number }[];
}

const fx = loadFixture<ClusteringFixture>('eval', 'clustering.json');

/** The generator's formula_pred (make_fixtures.py), rebuilt here so the fixture need not store it. */
function formulaPred(truth: number[], keepPerMille: number, k: number, outlierMod: number): number[] {
  return truth.map((t, i) => {
    // (i * 2654435761) % 1000 exactly: i < 2^15, so the product is below 2^53.
    let p = (i * 2654435761) % 1000 < keepPerMille ? t : (i * 40503) % k;
    if (outlierMod && i % outlierMod === 3) p = -1;
    return p;
  });
}

function inputs(c: ClusteringFixture['cases'][number]): [Label[], Label[]] {
  if (c.truth && c.pred) return [c.truth, c.pred];
  const t = fx.all_20ng_truth;
  const m = /^all_20ng_formula_(\d+)_(\d+)_(\d+)$/.exec(c.name);
  if (m) return [t, formulaPred(t, Number(m[1]), Number(m[2]), Number(m[3]))];
  if (c.name === 'all_20ng_merged_pairs') return [t, t.map((g) => Math.floor(g / 2))];
  throw new Error(`no inputs for ${c.name}`);
}

for (const c of fx.cases) {
  test(`NMI and ARI equal scikit-learn: ${c.name}`, () => {
    const [truth, pred] = inputs(c);
    const nmi = normalizedMutualInfo(truth, pred);
    const ari = adjustedRandIndex(truth, pred);
    assert.ok(relClose(nmi, c.nmi, 1e-9, 1e-12), `nmi ${nmi} vs ${c.nmi}`);
    assert.ok(relClose(ari, c.ari, 1e-9, 1e-12), `ari ${ari} vs ${c.ari}`);
  });
}

test('length mismatch is an error', () => {
  assert.throws(() => normalizedMutualInfo([1, 2], [1]), /labelsTrue/);
});
