/**
 * Runs one reduction synchronously in the current thread. The worker calls this; so does a caller
 * that is already off the main thread and asks for `inline`.
 */
import type { KnnGraph, Matrix } from '../core/types.js';
import { fastUmap, type FastUmapPhases } from './fast/fastUmap.js';
import { pca } from './pca.js';
import type { ReducerMethod, ReducerSettings } from './settings.js';
import { runUmapJs } from './umapJsRun.js';

export function reduceSync(
  method: ReducerMethod,
  s: ReducerSettings,
  knn: KnnGraph | undefined,
  x: Matrix | undefined,
  onProgress?: (done: number, total: number) => void,
  phases?: Partial<FastUmapPhases>,
): Float32Array {
  // as umap-learn: more neighbours than there are other points is cut to n - 1
  if (knn && s.nNeighbors > knn.n - 1) s = { ...s, nNeighbors: Math.max(1, knn.n - 1) };
  switch (method) {
    case 'umap-js':
      if (!knn) throw new Error('umap-js needs the k-NN graph');
      return runUmapJs(knn, s, onProgress);
    case 'fast-umap':
      if (!knn) throw new Error('fast-umap needs the k-NN graph');
      return fastUmap(
        knn,
        {
          nNeighbors: s.nNeighbors,
          nComponents: s.nComponents,
          minDist: s.minDist,
          seed: s.seed,
          ...(s.nEpochs ? { nEpochs: s.nEpochs } : {}),
          ...(s.init ? { init: s.init } : {}),
          ...(s.spectralIterations ? { spectral: { iterations: s.spectralIterations } } : {}),
          ...(s.initial ? { initial: s.initial } : {}),
          ...(s.learningRate ? { learningRate: s.learningRate } : {}),
          ...(s.threads ? { threads: s.threads } : {}),
        },
        x,
        onProgress,
        phases,
      );
    case 'pca': {
      if (!x) throw new Error('pca needs the input matrix');
      onProgress?.(0, 1);
      const out = pca(x, s.nComponents, { seed: s.seed }).scores.data;
      onProgress?.(1, 1);
      return out;
    }
    default:
      throw new Error(`unknown reducer method ${String(method)}`);
  }
}

/** Which inputs a method reads (so the worker is sent only those). */
export function methodInputs(method: ReducerMethod, s: ReducerSettings): { knn: boolean; x: boolean } {
  if (method === 'pca') return { knn: false, x: true };
  if (method === 'umap-js') return { knn: true, x: false };
  // fast-umap reads x for a PCA init, or to place many disconnected components (spectral init)
  return { knn: true, x: s.init !== 'random' && !s.initial };
}
