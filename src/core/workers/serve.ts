/**
 * The worker side of a WorkerPool: `serveJobs(setup)` runs `setup` once (load a model, read the
 * config), reports ready (or the load failure), then answers each job, one at a time in arrival
 * order. A handler returns its result, or `withTransfer(result, buffers)` to move buffers back
 * instead of copying them; what it throws becomes the job's error in the main thread.
 */
import { Mutex } from '../mutex.js';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerEnvelope } from './protocol.js';

export interface JobContext {
  /** sends a progress value to the job's `onProgress` in the main thread */
  progress(value: unknown): void;
}

export type JobHandler<Req, Res> = (req: Req, ctx: JobContext) => Res | Transferring<Res> | Promise<Res | Transferring<Res>>;

export interface WorkerSetup<Req, Res, Info> {
  /** what `WorkerPool.start()` resolves with (one per worker), e.g. the model's dimension */
  info: Info;
  handle: JobHandler<Req, Res>;
}

export class Transferring<T> {
  constructor(
    readonly value: T,
    readonly transfer: readonly ArrayBuffer[],
  ) {}
}

/** A result whose buffers are transferred (detached here) rather than copied. */
export function withTransfer<T>(value: T, transfer: readonly ArrayBuffer[]): Transferring<T> {
  return new Transferring(value, transfer);
}

/** The pool's `workerData` option, as given to the WorkerPool. */
export function workerInput<D>(): D {
  return (workerData as WorkerEnvelope<D>).data;
}

export function serveJobs<Req, Res, Info>(setup: () => WorkerSetup<Req, Res, Info> | Promise<WorkerSetup<Req, Res, Info>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs must run in a worker thread started by a WorkerPool');
  const post = (m: FromWorker<Res, Info>, transfer?: readonly ArrayBuffer[]): void => port.postMessage(m, transfer as ArrayBuffer[] | undefined);
  void (async () => {
    let s: WorkerSetup<Req, Res, Info>;
    try {
      s = await setup();
    } catch (e) {
      post({ type: 'loadFailed', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    // jobs run one at a time, in arrival order
    const lock = new Mutex();
    port.on('message', (m: ToWorker<Req>) => {
      if (m?.type === 'job') void lock.run(() => runJob(port, s.handle, m));
    });
    post({ type: 'ready', info: s.info });
  })();
}

async function runJob<Req, Res>(port: MessagePort, handle: JobHandler<Req, Res>, m: ToWorker<Req>): Promise<void> {
  const ctx: JobContext = { progress: (value) => port.postMessage({ type: 'progress', id: m.id, value }) };
  try {
    const out = await handle(m.body, ctx);
    if (out instanceof Transferring) port.postMessage({ type: 'done', id: m.id, result: out.value }, out.transfer as ArrayBuffer[]);
    else port.postMessage({ type: 'done', id: m.id, result: out });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ type: 'failed', id: m.id, message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
  }
}
