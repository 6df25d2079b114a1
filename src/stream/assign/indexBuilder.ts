/**
 * Builds a fresh HNSW index of the window in a worker thread, so that replacing an index full of
 * deleted points does not stop ingestion (at a 10,000-document window the build takes seconds).
 * The index goes through a temporary file (hnswlib's own format): the worker writes it, the
 * caller reads it and removes the file. One short-lived worker per build.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HnswOptions } from '../../knn/hnswIndex.js';
import { HnswIndex } from '../../knn/hnswIndex.js';
import { WorkerPool } from '../../core/workers/workerPool.js';

export interface IndexBuildJob {
  /** labels (window seqs), in the order of the vectors' rows */
  seqs: Float64Array;
  vectors: Float32Array;
  dim: number;
  capacity: number;
  hnsw: HnswOptions;
  file: string;
}

/** A build must not outlive this; past it the caller rebuilds inline when it must. */
const BUILD_TIMEOUT_MS = 10 * 60_000;
let builds = 0;

/** Builds the index of `seqs`/`vectors` off the calling thread and returns it. */
export async function buildIndexInWorker(job: Omit<IndexBuildJob, 'file'>): Promise<HnswIndex> {
  const file = path.join(os.tmpdir(), `topicstream-index-${process.pid}-${++builds}.hnsw`);
  const pool = new WorkerPool<IndexBuildJob, null>({ name: 'index builder', script: new URL('./indexWorker.js', import.meta.url), size: 1, timeoutMs: BUILD_TIMEOUT_MS, maxRestarts: 1 });
  try {
    await pool.run({ ...job, file }, { transfer: [job.vectors.buffer as ArrayBuffer] });
    return await HnswIndex.read(file);
  } finally {
    await pool.close();
    await Promise.all([rm(file, { force: true }), rm(`${file}.meta.json`, { force: true })]);
  }
}
