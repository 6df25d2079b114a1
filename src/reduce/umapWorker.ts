/**
 * Worker thread entry: runs the ReduceRequest it is sent, posting progress, and replies with the
 * embedding (its buffer transferred, not copied). Loaded by WorkerReducer through
 * `new URL('./umapWorker.js', import.meta.url)`, so it must sit next to workerReducer.js in dist/.
 */
import { createMatrix } from '../core/types.js';
import { serveJobs, withTransfer } from '../core/workers/serve.js';
import { reduceSync } from './reduceSync.js';
import type { ReduceProgress, ReduceRequest, ReduceResult } from './workerProtocol.js';

serveJobs<ReduceRequest, ReduceResult, null>(() => ({
  info: null,
  handle: (req, ctx) => {
    const t0 = performance.now();
    const x = req.x ? createMatrix(req.x.rows, req.x.cols, req.x.data) : undefined;
    let lastPost = 0;
    const data = reduceSync(req.method, req.settings, req.knn, x, (done, total) => {
      // at most one message every 50 ms, plus the last one
      const now = performance.now();
      if (done === total || now - lastPost > 50) {
        lastPost = now;
        ctx.progress({ done, total } satisfies ReduceProgress);
      }
    });
    const rows = req.knn?.n ?? req.x!.rows;
    return withTransfer({ rows, cols: req.settings.nComponents, data, ms: performance.now() - t0 }, [data.buffer as ArrayBuffer]);
  },
}));
