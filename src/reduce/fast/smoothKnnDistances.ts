/**
 * UMAP's per-point distance normalisation (umap-learn `smooth_knn_dist`): for each point i,
 * rho_i = distance to its nearest non-identical neighbour (local connectivity 1), and sigma_i such
 * that sum_j exp(-(d_ij - rho_i) / sigma_i) over the k-1 neighbours other than self = log2(k).
 * Found by bisection, as umap-learn does, so that results match it closely.
 */
import type { KnnGraph } from '../../core/types.js';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

export interface SmoothKnnResult {
  sigmas: Float64Array;
  rhos: Float64Array;
}

export function smoothKnnDistances(knn: KnnGraph, localConnectivity = 1, nIter = 64, bandwidth = 1): SmoothKnnResult {
  const { n, k, distances } = knn;
  const target = Math.log2(k) * bandwidth;
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);

  let meanAll = 0;
  for (let t = 0; t < n * k; t++) meanAll += distances[t]!;
  meanAll /= n * k;

  const lcIndex = Math.floor(localConnectivity);
  const interpolation = localConnectivity - lcIndex;

  for (let i = 0; i < n; i++) {
    const base = i * k;
    // rho: the lcIndex-th non-zero distance (rows are sorted ascending), interpolated.
    let nonZero = 0;
    let firstNz = -1;
    let maxNz = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[base + j]!;
      if (d > 0) {
        if (firstNz < 0) firstNz = j;
        nonZero++;
        if (d > maxNz) maxNz = d;
      }
    }
    let rho = 0;
    if (nonZero >= localConnectivity) {
      if (lcIndex > 0) {
        rho = distances[base + firstNz + lcIndex - 1]!;
        if (interpolation > SMOOTH_K_TOLERANCE) {
          rho += interpolation * (distances[base + firstNz + lcIndex]! - distances[base + firstNz + lcIndex - 1]!);
        }
      } else {
        rho = interpolation * distances[base + firstNz]!;
      }
    } else if (nonZero > 0) {
      rho = maxNz;
    }
    rhos[i] = rho;

    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < nIter; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[base + j]! - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    // Keep sigma away from 0 so memberships stay finite for points in very dense regions.
    if (rho > 0) {
      let meanRow = 0;
      for (let j = 0; j < k; j++) meanRow += distances[base + j]!;
      meanRow /= k;
      if (mid < MIN_K_DIST_SCALE * meanRow) mid = MIN_K_DIST_SCALE * meanRow;
    } else if (mid < MIN_K_DIST_SCALE * meanAll) {
      mid = MIN_K_DIST_SCALE * meanAll;
    }
    sigmas[i] = mid;
  }
  return { sigmas, rhos };
}
