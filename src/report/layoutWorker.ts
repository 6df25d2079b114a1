/**
 * Worker thread entry of `layout2d(..., { worker: true })`: the k-NN graph and the 2-D UMAP of the
 * map, both off the caller's thread. Loaded through `new URL('./layoutWorker.js', import.meta.url)`.
 */
import { createMatrix } from '../core/types.js';
import { serveJobs, withTransfer } from '../core/workers/serve.js';
import { layout2d, type LayoutRequest } from './documentMap.js';

serveJobs<LayoutRequest, Float32Array, null>(() => ({
  info: null,
  handle: async (req) => {
    const xy = await layout2d(createMatrix(req.rows, req.cols, req.data), { seed: req.seed, hnsw: req.hnsw, worker: false });
    return withTransfer(xy, [xy.buffer as ArrayBuffer]);
  },
}));
