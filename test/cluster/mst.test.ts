import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildKdTree } from '../../src/cluster/kdtree.js';
import { coreDistances } from '../../src/cluster/coreDistances.js';
import { boruvkaMst } from '../../src/cluster/mstBoruvka.js';
import { primMst } from '../../src/cluster/mstPrim.js';
import { UnionFind } from '../../src/cluster/unionFind.js';
import type { SpanningTree } from '../../src/cluster/types.js';
import { randomMatrix } from './testData.js';

function assertSpanning(t: SpanningTree, n: number): void {
  assert.equal(t.from.length, n - 1);
  const uf = new UnionFind(n);
  for (let e = 0; e < n - 1; e++) assert.ok(uf.union(t.from[e], t.to[e]) >= 0, 'cycle');
}

const sorted = (w: Float64Array): number[] => Array.from(w).sort((a, b) => a - b);

describe('mutual reachability MST', () => {
  const cases = [
    { n: 2, dim: 2, ms: 1, grid: false },
    { n: 3, dim: 1, ms: 2, grid: false },
    { n: 400, dim: 2, ms: 5, grid: false },
    { n: 400, dim: 2, ms: 5, grid: true }, // integer grid: many duplicates and equal weights
    { n: 300, dim: 5, ms: 10, grid: false },
    { n: 250, dim: 9, ms: 3, grid: true },
  ];
  for (const c of cases) {
    it(`Borůvka on the kd-tree has the weights of Prim's dense MST (n=${c.n}, dim=${c.dim}, ms=${c.ms}${c.grid ? ', ties' : ''})`, () => {
      const x = randomMatrix(c.n, c.dim, 11 + c.n + c.dim, 6, c.grid);
      const tree = buildKdTree(x.data, c.n, c.dim, 4);
      const ms = Math.min(c.ms, c.n - 1);
      const cd = coreDistances(tree, ms + 1, ms);
      const b = boruvkaMst(tree, cd.core, cd.neighbours, cd.k);
      const p = primMst(tree.pts, c.n, c.dim, cd.core);
      assertSpanning(b, c.n);
      assertSpanning(p, c.n);
      assert.deepEqual(sorted(b.weight), sorted(p.weight));
      // every edge weighs its mutual reachability distance
      const core = new Float64Array(c.n);
      for (let j = 0; j < c.n; j++) core[tree.idx[j]] = cd.core[j];
      for (let e = 0; e < b.from.length; e++) {
        const u = b.from[e];
        const v = b.to[e];
        let s = 0;
        for (let d = 0; d < c.dim; d++) s += (x.data[u * c.dim + d] - x.data[v * c.dim + d]) ** 2;
        assert.equal(b.weight[e], Math.max(Math.sqrt(s), core[u], core[v]));
      }
    });
  }

  it('all points identical: every edge has weight 0', () => {
    const n = 50;
    const data = new Float32Array(n * 3).fill(1.5);
    const tree = buildKdTree(data, n, 3, 8);
    const cd = coreDistances(tree, 5, 4);
    const b = boruvkaMst(tree, cd.core, cd.neighbours, cd.k);
    assertSpanning(b, n);
    assert.ok(b.weight.every((w) => w === 0));
  });
});
