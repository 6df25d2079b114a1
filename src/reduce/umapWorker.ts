/**
 * Worker thread entry: receives one ReduceRequest, runs it, posts progress and then the result
 * (its buffer transferred, not copied), and exits. Loaded by WorkerReducer through
 * `new URL('./umapWorker.js', import.meta.url)`, so it must sit next to workerReducer.js in dist/.
 */
import { parentPort } from 'node:worker_threads';
import { createMatrix } from '../core/types.js';
import { reduceSync } from './reduceSync.js';
import type { ReduceReply, ReduceRequest } from './workerProtocol.js';

const port = parentPort;
if (!port) throw new Error('umapWorker.js must run as a worker thread');

port.once('message', (req: ReduceRequest) => {
  const post = (m: ReduceReply, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);
  try {
    const t0 = performance.now();
    const x = req.x ? createMatrix(req.x.rows, req.x.cols, req.x.data) : undefined;
    let lastPost = 0;
    const data = reduceSync(req.method, req.settings, req.knn, x, (done, total) => {
      // at most one message every 50 ms, plus the last one
      const now = performance.now();
      if (done === total || now - lastPost > 50) {
        lastPost = now;
        post({ type: 'progress', done, total });
      }
    });
    const rows = req.knn?.n ?? req.x!.rows;
    post({ type: 'result', rows, cols: req.settings.nComponents, data, ms: performance.now() - t0 }, [data.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
  }
  port.close();
});
