import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildKdTree } from '../../src/cluster/kdtree.js';
import { KnnSearcher } from '../../src/cluster/knnSearch.js';
import { coreDistances } from '../../src/cluster/coreDistances.js';
import { randomMatrix } from './testData.js';

function bruteKnn(data: Float32Array, n: number, dim: number, q: number, k: number): number[] {
  const d: number[] = [];
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < dim; t++) {
      const v = data[q * dim + t] - data[j * dim + t];
      s += v * v;
    }
    d.push(s);
  }
  return d.sort((a, b) => a - b).slice(0, k);
}

describe('kd-tree', () => {
  for (const [n, dim, leaf, grid] of [[1, 2, 32, false], [7, 1, 2, false], [500, 3, 8, false], [600, 2, 16, true], [300, 7, 32, false]] as const) {
    it(`k-NN distances equal brute force (n=${n}, dim=${dim}, leaf=${leaf}${grid ? ', duplicates' : ''})`, () => {
      const x = randomMatrix(n, dim, 7 + n, 10, grid);
      const tree = buildKdTree(x.data, n, dim, leaf);
      // every point exactly once, inside its leaf's box
      assert.deepEqual(Array.from(tree.idx).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
      for (let node = tree.firstLeaf; node < tree.nNodes; node++) {
        for (let j = tree.nodeStart[node]; j < tree.nodeEnd[node]; j++) {
          for (let d = 0; d < dim; d++) {
            const v = tree.pts[j * dim + d];
            assert.ok(v >= tree.lo[node * dim + d] && v <= tree.hi[node * dim + d]);
          }
        }
      }
      const k = Math.min(n, 6);
      const s = new KnnSearcher(tree, k);
      for (let q = 0; q < n; q += Math.max(1, Math.floor(n / 60))) {
        s.query(tree.pts, tree.pos[q] * dim);
        assert.deepEqual(Array.from(s.dist2), bruteKnn(x.data, n, dim, q, k));
        assert.equal(s.dist2[0], 0); // the point finds itself (or a duplicate) first
      }
    });
  }

  it('core distances count the point itself, and the prediction ones use min_samples', () => {
    const x = randomMatrix(200, 2, 3);
    const tree = buildKdTree(x.data, 200, 2, 8);
    const cd = coreDistances(tree, 6, 5);
    for (let i = 0; i < 200; i += 13) {
      const ref = bruteKnn(x.data, 200, 2, i, 6);
      assert.equal(cd.core[tree.pos[i]], Math.sqrt(ref[5]));
      assert.equal(cd.predictionCore[i], Math.sqrt(ref[4]));
    }
  });
});
