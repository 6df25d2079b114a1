/**
 * The options of UMAP's layout optimisation, shared by the single-threaded loop (optimizeLayout.ts)
 * and the parallel one (parallelLayout.ts) without either importing the other's module for them.
 */
export interface LayoutOptions {
  nEpochs: number;
  a: number;
  b: number;
  /** weight of the repulsive force (umap-learn repulsion_strength) */
  gamma: number;
  initialAlpha: number;
  negativeSampleRate: number;
  seed: number;
  /** threads for the epochs (default 1); more only off the main thread (the caller blocks between epochs) */
  threads?: number;
}
