import type { Matrix } from '../core/types.js';
import { clusterHierarchy, clusterStability } from './clusterHierarchy.js';
import { condenseTree } from './condenseTree.js';
import { coreDistances } from './coreDistances.js';
import { outlierScores } from './glosh.js';
import { buildKdTree, type KdTree } from './kdtree.js';
import { labelPoints } from './labelling.js';
import type { FitTimings, HdbscanModel } from './model.js';
import { boruvkaMst } from './mstBoruvka.js';
import { primMst } from './mstPrim.js';
import { rawMinSamples, resolveOptions, type HdbscanOptions, type HdbscanParams } from './options.js';
import { rememberPredictionTree } from './predictionIndex.js';
import { selectClusters } from './selectClusters.js';
import { singleLinkage } from './singleLinkage.js';
import type { SingleLinkage, SpanningTree } from './types.js';

/**
 * Fits HDBSCAN (Campello, Moulavi & Sander 2013; McInnes, Healy & Astels 2017) to the rows of x:
 * core distances -> minimum spanning tree of the mutual reachability graph -> single-linkage tree
 * -> condensed tree -> stable clusters. Same defaults and outputs as the `hdbscan` Python package
 * with prediction_data=True. Rows with non-finite values are left out and labelled noise, as the
 * package does.
 */
export function fitHdbscan(x: Matrix, params: HdbscanParams = {}, timings?: FitTimings): HdbscanModel {
  const options = resolveOptions(params);
  const t0 = performance.now();
  const { data, rowIndex } = finiteRows(x);
  const dim = x.cols;
  const n = data.length / Math.max(1, dim);
  const msRaw = rawMinSamples(options);
  // The package clamps min_samples to n-1 for the fit and counts the point itself: k = ms + 1.
  const msFit = Math.max(1, Math.min(n - 1, msRaw));

  let tree: KdTree | null = null;
  let predictionCore: Float64Array = new Float64Array(n);
  let linkage = emptyLinkage(n);
  let t1 = t0;
  let t2 = t0;
  if (n >= 2) {
    tree = buildKdTree(data, n, dim, options.leafSize);
    const cd = coreDistances(tree, msFit + 1, msRaw);
    predictionCore = cd.predictionCore;
    t1 = performance.now();
    const mst = spanningTree(tree, cd.core, cd.neighbours, cd.k, options);
    t2 = performance.now();
    linkage = singleLinkage(mst, n);
  }
  const model = modelFromLinkage(x, data, rowIndex, linkage, predictionCore, options);
  if (tree) rememberPredictionTree(model, tree);
  if (timings) {
    const t3 = performance.now();
    timings.coreDistances = t1 - t0;
    timings.mst = t2 - t1;
    timings.tree = t3 - t2;
    timings.total = t3 - t0;
  }
  return model;
}

/**
 * The second half of the fit on a given single-linkage tree (e.g. the Python package's
 * single_linkage_tree_, which the tests use to check the tree stages exactly). `linkage` must be
 * over the rows of x with finite values.
 */
export function fitHdbscanFromLinkage(x: Matrix, linkage: SingleLinkage, params: HdbscanParams = {}): HdbscanModel {
  const options = resolveOptions(params);
  const { data, rowIndex } = finiteRows(x);
  const n = data.length / Math.max(1, x.cols);
  if (linkage.n !== n) throw new Error(`hdbscan: linkage over ${linkage.n} points, data has ${n} finite rows`);
  let predictionCore: Float64Array = new Float64Array(n);
  let tree: KdTree | null = null;
  if (n >= 2) {
    tree = buildKdTree(data, n, x.cols, options.leafSize);
    predictionCore = coreDistances(tree, 1, rawMinSamples(options)).predictionCore;
  }
  const model = modelFromLinkage(x, data, rowIndex, linkage, predictionCore, options);
  if (tree) rememberPredictionTree(model, tree);
  return model;
}

function modelFromLinkage(
  x: Matrix, data: Float32Array, rowIndex: Int32Array | null, linkage: SingleLinkage,
  predictionCore: Float64Array, options: HdbscanOptions,
): HdbscanModel {
  const n = linkage.n;
  const condensed = condenseTree(linkage, options.minClusterSize);
  const h = clusterHierarchy(condensed);
  const stability = clusterStability(condensed, h);
  const flags = selectClusters(h, stability, {
    method: options.clusterSelectionMethod,
    epsilon: options.clusterSelectionEpsilon,
    allowSingleCluster: options.allowSingleCluster,
  });
  const flat = labelPoints(condensed, h, flags, stability, options.allowSingleCluster, options.clusterSelectionEpsilon);
  const glosh = outlierScores(condensed, h);

  const nRows = x.rows;
  const labels = new Int32Array(nRows).fill(-1);
  const probabilities = new Float64Array(nRows);
  const scores = new Float64Array(nRows);
  for (let i = 0; i < n; i++) {
    const r = rowIndex ? rowIndex[i] : i;
    labels[r] = flat.labels[i];
    probabilities[r] = flat.probabilities[i];
    scores[r] = glosh[i];
  }
  return {
    options,
    nRows,
    dim: x.cols,
    rowIndex,
    data,
    minSamples: rawMinSamples(options),
    predictionCore,
    condensedTree: condensed,
    selected: flat.selected,
    labels,
    probabilities,
    outlierScores: scores,
    persistence: flat.persistence,
  };
}

function emptyLinkage(n: number): SingleLinkage {
  return { n, left: new Int32Array(0), right: new Int32Array(0), distance: new Float64Array(0), size: new Int32Array(0) };
}

function spanningTree(tree: KdTree, core: Float64Array, neighbours: Int32Array, k: number, o: HdbscanOptions): SpanningTree {
  const usePrim = o.mstAlgorithm === 'prim' || (o.mstAlgorithm === 'auto' && tree.dim > o.primAboveDim);
  if (!usePrim) return boruvkaMst(tree, core, neighbours, k);
  // Prim in input order, starting from point 0 as the package does (same choices among ties).
  const { n, dim, idx, pts } = tree;
  const data = new Float64Array(n * dim);
  const coreIn = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    data.set(pts.subarray(j * dim, (j + 1) * dim), idx[j] * dim);
    coreIn[idx[j]] = core[j];
  }
  return primMst(data, n, dim, coreIn);
}

/** A copy of the rows with only finite values, and their input row numbers (null = all rows). */
function finiteRows(x: Matrix): { data: Float32Array; rowIndex: Int32Array | null } {
  const { rows, cols, data } = x;
  if (data.length !== rows * cols) throw new Error(`hdbscan: matrix data has ${data.length} values, expected ${rows}x${cols}`);
  let bad = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) bad++;
  // copied: the model keeps the points, and the caller may reuse its buffer
  if (bad === 0) return { data: data.slice(), rowIndex: null };
  const keep: number[] = [];
  for (let r = 0; r < rows; r++) {
    let ok = true;
    for (let c = 0; c < cols; c++) if (!Number.isFinite(data[r * cols + c])) { ok = false; break; }
    if (ok) keep.push(r);
  }
  const out = new Float32Array(keep.length * cols);
  keep.forEach((r, i) => out.set(data.subarray(r * cols, (r + 1) * cols), i * cols));
  return { data: out, rowIndex: Int32Array.from(keep) };
}
