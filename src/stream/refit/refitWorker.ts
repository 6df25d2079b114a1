/** Worker thread body: runs refit jobs sent by WorkerRefitter, one at a time. */
import type { Config } from '../../config/schema.js';
import { serveJobs, withTransfer, workerInput } from '../../core/workers/serve.js';
import { hangRefitIfHooked } from '../../core/workers/testHooks.js';
import { lowerThreadPriority } from '../../core/workers/threadPriority.js';
import { runClusterJob, runDescribeJob } from './refitJobs.js';
import type { RefitRequest } from './types.js';

const { config } = workerInput<{ config: Config }>();
// ingestion first: this thread yields the cores to the embedding workers (stream.refit.niceness)
lowerThreadPriority(config.stream.refit.niceness);

serveJobs<RefitRequest, unknown, null>(() => ({
  info: null,
  handle: (req) => {
    if (req.op === 'describe') return runDescribeJob(config, req.job);
    hangRefitIfHooked();
    const r = runClusterJob(config, req.job);
    const buffers = [r.labels, r.probabilities, r.layout, r.neighbours].filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer);
    return withTransfer(r, [...new Set(buffers)]);
  },
}));
