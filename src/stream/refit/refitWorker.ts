/** Worker thread body: runs refit jobs sent by WorkerRefitter, one at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/schema.js';
import { runClusterJob, runDescribeJob } from './refitJobs.js';
import type { ClusterJob, DescribeJob } from './types.js';

type Request = { id: number; op: 'cluster'; job: ClusterJob } | { id: number; op: 'describe'; job: DescribeJob };

const config = (workerData as { config: Config }).config;
const port = parentPort!;
port.on('message', (req: Request) => {
  try {
    if (req.op === 'cluster') {
      const r = runClusterJob(config, req.job);
      port.postMessage({ id: req.id, ok: true, result: r }, [r.labels.buffer as ArrayBuffer, r.probabilities.buffer as ArrayBuffer]);
    } else {
      port.postMessage({ id: req.id, ok: true, result: runDescribeJob(config, req.job) });
    }
  } catch (e) {
    port.postMessage({ id: req.id, ok: false, error: (e as Error).stack ?? String(e) });
  }
});
