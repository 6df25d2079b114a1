/**
 * The document map of the report, as BERTopic's visualize_documents: a sample of the documents laid
 * out in 2-D by UMAP on their embeddings (BERTopic: UMAP(n_neighbors=10, n_components=2,
 * min_dist=0, metric='cosine')), here our fast UMAP in a worker thread (src/reduce/).
 */
import { rowsOf, type Matrix } from '../core/types.js';
import { mulberry32 } from '../core/random.js';
import { buildKnnGraph } from '../knn/index.js';
import { createReducer } from '../reduce/index.js';
import { WorkerPool } from '../core/workers/workerPool.js';
import type { HnswOptions } from '../knn/index.js';
import { neighbourCount } from '../pipeline/components.js';

/** BERTopic's n_neighbors for the map. */
export const MAP_NEIGHBORS = 10;

export interface DocumentMap {
  /** indices of the sampled documents, ascending */
  sample: number[];
  /** x, y per sampled document */
  xy: Float32Array;
}

/** At most maxDocs indices out of n, drawn with the seed, ascending. */
export function sampleIndices(n: number, maxDocs: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= maxDocs) return all;
  const rand = mulberry32(seed);
  for (let i = 0; i < maxDocs; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, maxDocs).sort((a, b) => a - b);
}

/** 2-D UMAP of a sample of the embeddings (a line for fewer than 4 documents). */
export async function documentMap(embeddings: Matrix, opts: { maxDocs: number; seed: number; hnsw: HnswOptions }): Promise<DocumentMap> {
  const sample = sampleIndices(embeddings.rows, opts.maxDocs, opts.seed);
  return { sample, xy: await layout2d(rowsOf(embeddings, sample), { ...opts, worker: false }) };
}

/** What the layout worker is sent. */
export interface LayoutRequest {
  rows: number;
  cols: number;
  data: Float32Array;
  seed: number;
  hnsw: HnswOptions;
}

/**
 * x, y per row of `x` by UMAP with BERTopic's map settings (a line for fewer than 4 rows). With
 * `worker`, the k-NN graph and the UMAP run in a worker thread of their own (the service: its
 * event loop stays free; `x`'s buffer is transferred there).
 */
export async function layout2d(x: Matrix, opts: { seed: number; hnsw: HnswOptions; worker: boolean }): Promise<Float32Array> {
  if (x.rows < 4) return Float32Array.from({ length: 2 * x.rows }, (_, i) => (i % 2 === 0 ? i / 2 : 0));
  if (opts.worker) return layoutInWorker({ rows: x.rows, cols: x.cols, data: x.data, seed: opts.seed, hnsw: opts.hnsw });
  const k = neighbourCount(MAP_NEIGHBORS, x.rows);
  const graph = buildKnnGraph(x, k, { ...opts.hnsw, seed: opts.seed });
  const reducer = createReducer('fast-umap', { nNeighbors: k, nComponents: 2, minDist: 0, seed: opts.seed });
  return (await reducer.fit(x, graph)).data;
}

async function layoutInWorker(req: LayoutRequest): Promise<Float32Array> {
  const pool = new WorkerPool<LayoutRequest, Float32Array>({ name: 'map layout worker', script: new URL('./layoutWorker.js', import.meta.url), maxRestarts: 0 });
  try {
    return await pool.run(req, { transfer: [req.data.buffer as ArrayBuffer] });
  } finally {
    await pool.close();
  }
}
