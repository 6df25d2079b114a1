/**
 * Condensing, stability, selection, labels, probabilities and GLOSH on a hand-made dendrogram;
 * expected values worked out by hand and checked with the package's _tree_to_labels.
 *
 *   points 0,1 merge at 1; 2,3 merge at 1; the pairs merge at 2; point 4 joins at 4, point 5 at 5.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { condenseTree } from '../../src/cluster/condenseTree.js';
import { clusterHierarchy, clusterStability } from '../../src/cluster/clusterHierarchy.js';
import { selectClusters, type SelectionOptions } from '../../src/cluster/selectClusters.js';
import { labelPoints } from '../../src/cluster/labelling.js';
import { outlierScores } from '../../src/cluster/glosh.js';
import { singleLinkage } from '../../src/cluster/singleLinkage.js';
import type { SingleLinkage } from '../../src/cluster/types.js';

const linkage: SingleLinkage = {
  n: 6,
  left: Int32Array.from([0, 2, 6, 4, 5]),
  right: Int32Array.from([1, 3, 7, 8, 9]),
  distance: Float64Array.from([1, 1, 2, 4, 5]),
  size: Int32Array.from([2, 2, 4, 5, 6]),
};

function run(o: Partial<SelectionOptions>) {
  const tree = condenseTree(linkage, 2);
  const h = clusterHierarchy(tree);
  const stability = clusterStability(tree, h);
  const opts: SelectionOptions = { method: 'eom', epsilon: 0, allowSingleCluster: false, ...o };
  const flags = selectClusters(h, stability, opts);
  return { tree, h, flat: labelPoints(tree, h, flags, stability, opts.allowSingleCluster, opts.epsilon) };
}

describe('tree stages', () => {
  it('single linkage from MST edges numbers merges as scipy does', () => {
    const sl = singleLinkage({
      from: Int32Array.from([5, 0, 2, 4, 1]),
      to: Int32Array.from([4, 1, 3, 2, 3]),
      weight: Float64Array.from([5, 1, 1, 4, 2]),
    }, 6);
    assert.deepEqual(Array.from(sl.left), [0, 2, 6, 4, 5]);
    assert.deepEqual(Array.from(sl.right), [1, 3, 7, 8, 9]);
    assert.deepEqual(Array.from(sl.distance), [1, 1, 2, 4, 5]);
    assert.deepEqual(Array.from(sl.size), [2, 2, 4, 5, 6]);
  });

  it('condensed tree rows, breadth first, points falling out of the root', () => {
    const { tree } = run({});
    assert.equal(tree.nClusters, 3);
    assert.deepEqual(Array.from(tree.parent), [6, 6, 6, 6, 7, 7, 8, 8]);
    assert.deepEqual(Array.from(tree.child), [5, 4, 7, 8, 0, 1, 2, 3]);
    assert.deepEqual(Array.from(tree.lambda), [0.2, 0.25, 0.5, 0.5, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(tree.childSize), [1, 1, 2, 2, 1, 1, 1, 1]);
  });

  it('stability', () => {
    const { tree, h } = run({});
    assert.deepEqual(Array.from(clusterStability(tree, h)).map((v) => +v.toFixed(12)), [2.45, 1, 1]);
  });

  for (const [name, o] of [['eom', {}], ['leaf', { method: 'leaf' as const }], ['eom, epsilon 3', { epsilon: 3 }]] as const) {
    it(`${name}: two clusters, two noise points`, () => {
      const { flat } = run(o);
      assert.deepEqual(Array.from(flat.labels), [0, 0, 1, 1, -1, -1]);
      assert.deepEqual(Array.from(flat.probabilities), [1, 1, 1, 1, 0, 0]);
      assert.deepEqual(Array.from(flat.persistence), [0.5, 0.5]);
    });
  }

  for (const eps of [0, 3]) {
    it(`allowSingleCluster (epsilon ${eps}): the root wins, its early leavers stay noise`, () => {
      const { flat } = run({ allowSingleCluster: true, epsilon: eps });
      assert.deepEqual(Array.from(flat.labels), [0, 0, 0, 0, -1, -1]);
      assert.deepEqual(Array.from(flat.probabilities), [1, 1, 1, 1, 0, 0]);
      assert.equal(+flat.persistence[0].toFixed(12), 0.6125);
    });
  }

  it('GLOSH outlier scores', () => {
    const { tree, h } = run({});
    assert.deepEqual(Array.from(outlierScores(tree, h)), [0, 0, 0, 0, 0.75, 0.8]);
  });

  it('a cluster smaller than minClusterSize everywhere condenses to the root only', () => {
    const tree = condenseTree(linkage, 5);
    assert.equal(tree.nClusters, 1);
    const h = clusterHierarchy(tree);
    const flags = selectClusters(h, clusterStability(tree, h), { method: 'eom', epsilon: 0, allowSingleCluster: false });
    assert.deepEqual(Array.from(flags), [0]);
  });
});
