/**
 * Runs refits in a dedicated worker thread so that ingestion (embedding, assignment, Kafka I/O)
 * never waits for UMAP or HDBSCAN. The worker starts with the first job. A job that outlives
 * `stream.refit.timeoutSeconds` is abandoned: its worker is terminated (even in a synchronous
 * loop), the job rejects (the processor keeps the previous topics) and the next job starts a new
 * worker; so does a worker that dies. close() rejects the running job and returns promptly, even
 * during a hung refit.
 */
import type { Config } from '../../config/schema.js';
import type { WorkerPoolEvent } from '../../core/workers/events.js';
import { WorkerPool } from '../../core/workers/workerPool.js';
import type { ClusterJob, ClusterJobResult, DescribeJob, DescribeJobResult, Refitter, RefitRequest } from './types.js';

/** Refit workers started after a death or timeout, per minute; beyond, refits fail until the minute passes. */
const REFIT_RESTARTS_PER_MINUTE = 6;

export interface WorkerRefitterOptions {
  /** worker timeouts, deaths and restarts (the failed job's error reaches the processor anyway) */
  onWorkerEvent?: (e: WorkerPoolEvent) => void;
}

export class WorkerRefitter implements Refitter {
  private readonly pool: WorkerPool<RefitRequest, unknown>;

  constructor(config: Config, opts: WorkerRefitterOptions = {}) {
    this.pool = new WorkerPool({
      name: 'refit worker',
      script: new URL('./refitWorker.js', import.meta.url),
      workerData: { config },
      size: 1,
      timeoutMs: config.stream.refit.timeoutSeconds * 1000,
      maxRestarts: REFIT_RESTARTS_PER_MINUTE,
      ...(opts.onWorkerEvent ? { onEvent: opts.onWorkerEvent } : {}),
    });
  }

  cluster(job: ClusterJob): Promise<ClusterJobResult> {
    // copied, not transferred: the caller still needs the vectors for the topic centroids
    return this.pool.run({ op: 'cluster', job }) as Promise<ClusterJobResult>;
  }

  describe(job: DescribeJob): Promise<DescribeJobResult> {
    return this.pool.run({ op: 'describe', job }) as Promise<DescribeJobResult>;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
