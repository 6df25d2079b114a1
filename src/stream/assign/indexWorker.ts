/** Worker thread body: builds an HNSW index of the window's vectors and writes it to a file (indexBuilder.ts). */
import { serveJobs } from '../../core/workers/serve.js';
import { nativeSection } from '../../core/workers/nativeSection.js';
import { HnswIndex } from '../../knn/hnswIndex.js';
import type { IndexBuildJob } from './indexBuilder.js';

serveJobs<IndexBuildJob, null, null>(() => ({
  info: null,
  handle: async (job) => {
    const idx = new HnswIndex(job.dim, job.capacity, job.hnsw);
    for (let i = 0; i < job.seqs.length; i++) nativeSection(() => idx.add(job.seqs[i]!, job.vectors, i * job.dim));
    await idx.write(job.file);
    return null;
  },
}));
