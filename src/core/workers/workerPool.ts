/**
 * A supervised pool of worker threads fed from one queue (request/reply by id; the worker side is
 * `serveJobs` in serve.ts). Each idle worker takes the next job: normal jobs first, low-priority
 * ones only when no normal job waits. With `jobsPerWorker` 2, a busy worker is handed its next
 * normal job too, which it starts as soon as it answers the one it runs (no idle round trip).
 *
 * Supervision:
 * - a job silent for longer than its deadline (no result and no progress message: progress is a
 *   heartbeat; counted from when its worker starts it) rejects (code 'timeout'), its worker is
 *   terminated and a fresh one started; a synchronous infinite loop is stopped too;
 * - a worker that dies (uncaught error, exit) fails the job it ran (code 'crashed') and is
 *   replaced; queued jobs wait for the replacement or another worker, and so does a job handed to
 *   it that it had not started (one whose request buffers went with the dead worker fails 'crashed');
 * - replacements are rate-limited (at most `maxRestarts` per `restartWindowMs`): beyond it, while
 *   no worker is left, jobs fail fast (code 'restart-limit') until the window passes; the next job
 *   after that starts a worker again;
 * - workers are terminated only outside native calls (see nativeSection.ts);
 * - idle workers are unref'd: an idle pool never keeps the process alive on its own.
 */
import { Worker } from 'node:worker_threads';
import { WorkerError } from './errors.js';
import type { WorkerPoolEvent } from './events.js';
import { terminateSafely } from './nativeSection.js';
import type { FromWorker, ToWorker, WorkerEnvelope } from './protocol.js';
import { RestartBudget } from './restartBudget.js';
import type { JobPriority, RunOptions, WorkerPoolOptions } from './options.js';
import { jobFailure, type Job, type Slot } from './poolSlot.js';

export type { JobPriority, RunOptions, WorkerPoolOptions } from './options.js';

export class WorkerPool<Req, Res, Info = unknown> {
  private readonly slots: Slot[] = [];
  private readonly queues: Record<JobPriority, Job[]> = { normal: [], low: [] };
  private readonly terminations = new Set<Promise<void>>();
  private readonly budget: RestartBudget;
  private readonly size: number;
  private readonly perWorker: number;
  private spawned = 0;
  private nextJobId = 1;
  private starting = false;
  private closed = false;
  private lastFailure = 'none recorded';
  private limitReported = 0;

  constructor(private readonly opts: WorkerPoolOptions) {
    this.size = opts.size ?? 1;
    this.perWorker = opts.jobsPerWorker ?? 1;
    if (!Number.isInteger(this.size) || this.size < 1) throw new Error(`WorkerPool ${opts.name}: size must be a positive integer, got ${opts.size}`);
    if (!Number.isInteger(this.perWorker) || this.perWorker < 1) throw new Error(`WorkerPool ${opts.name}: jobsPerWorker must be a positive integer, got ${opts.jobsPerWorker}`);
    this.budget = new RestartBudget(opts.maxRestarts ?? 6, opts.restartWindowMs ?? 60_000, opts.clock);
  }

  /**
   * Starts every worker and waits until each is ready. If one fails, waits for the others to
   * finish loading (never terminating a worker mid-load), closes the pool and throws.
   */
  async start(): Promise<Info[]> {
    this.starting = true;
    const loads = Array.from({ length: this.size - this.slots.length }, () => this.spawn());
    const settled = await Promise.allSettled(loads);
    this.starting = false;
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.close();
      throw failed.reason;
    }
    this.refill(); // a worker that died right after loading
    return (settled as PromiseFulfilledResult<Info>[]).map((r) => r.value);
  }

  /** Runs one job on the next free worker (starting workers when there are none yet). */
  run(body: Req, o: RunOptions = {}): Promise<Res> {
    if (this.closed) return Promise.reject(new WorkerError('closed', `${this.opts.name} pool is closed`));
    this.refill();
    if (this.slots.length === 0) return Promise.reject(this.limitError());
    return new Promise<Res>((resolve, reject) => {
      const job: Job = { id: this.nextJobId++, body, transfer: o.transfer ?? [], timeoutMs: o.timeoutMs ?? this.opts.timeoutMs ?? 0, resolve: resolve as (v: unknown) => void, reject };
      if (o.onProgress) job.onProgress = o.onProgress;
      this.queues[o.priority ?? 'normal'].push(job);
      this.pump();
    });
  }

  /** Rejects every queued and running job (with `reason`, default a 'closed' WorkerError) and terminates the workers. */
  async close(reason?: Error): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const err = reason ?? new WorkerError('closed', `${this.opts.name} pool closed`);
      for (const j of this.queues.normal.splice(0).concat(this.queues.low.splice(0))) j.reject(err);
      for (const slot of [...this.slots]) {
        for (const job of this.takeJobs(slot)) job.reject(err);
        if (!slot.ready) slot.loadFailed(err);
        this.retire(slot);
      }
    }
    await Promise.all([...this.terminations]);
  }

  stats(): { workers: number; busy: number; queued: number; restartsInWindow: number } {
    return {
      workers: this.slots.length,
      busy: this.slots.filter((s) => s.jobs.length > 0).length,
      queued: this.queues.normal.length + this.queues.low.length,
      restartsInWindow: this.budget.used(),
    };
  }

  private spawn(): Promise<Info> {
    const guard = new SharedArrayBuffer(4);
    const envelope: WorkerEnvelope = { guard, data: this.opts.workerData };
    // Inherit the parent's flags except --input-type, which a worker given a file rejects.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new Worker(this.opts.script, { workerData: envelope, execArgv });
    this.spawned++;
    let onExit!: () => void;
    const exited = new Promise<void>((r) => (onExit = r));
    return new Promise<Info>((resolve, reject) => {
      const slot: Slot = { worker, threadId: worker.threadId, guard, exited, ready: false, gone: false, jobs: [], loaded: resolve as (i: unknown) => void, loadFailed: reject };
      this.slots.push(slot);
      worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
      worker.on('error', (e: Error) => this.lost(slot, e));
      worker.on('exit', (code) => {
        onExit();
        this.lost(slot, new Error(`exited with code ${code}`));
      });
    });
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (slot.gone) return;
    if (m.type === 'ready') {
      slot.ready = true;
      slot.worker.unref();
      slot.loaded(m.info);
      this.pump();
    } else if (m.type === 'loadFailed') {
      this.lastFailure = m.message;
      this.emit({ type: 'loadFailed', pool: this.opts.name, threadId: slot.threadId, message: m.message });
      this.retire(slot);
      slot.loadFailed(new Error(`${this.opts.name}: ${m.message}`));
      this.refill();
    } else if (m.type === 'progress') {
      const job = slot.jobs[0];
      if (job?.id !== m.id) return;
      // progress is a heartbeat: the deadline counts from the last one
      this.armDeadline(slot, job);
      job.onProgress?.(m.value);
    } else if (slot.jobs[0]?.id === m.id) {
      const job = slot.jobs.shift()!;
      if (job.timer) clearTimeout(job.timer);
      // the worker starts the next job it holds now
      if (slot.jobs[0]) this.armDeadline(slot, slot.jobs[0]);
      else slot.worker.unref();
      if (m.type === 'done') job.resolve(m.result);
      else job.reject(jobFailure(this.opts.name, m.message, m.stack));
      this.pump();
    }
  }

  /** The worker died (error or exit): fail what it held, replace it. */
  private lost(slot: Slot, cause: Error): void {
    if (slot.gone) return;
    this.lastFailure = cause.message;
    this.retire(slot);
    if (!slot.ready) {
      this.emit({ type: 'loadFailed', pool: this.opts.name, threadId: slot.threadId, message: cause.message });
      slot.loadFailed(new Error(`${this.opts.name} ${cause.message} while starting`, { cause }));
    } else {
      const [job, ...waiting] = this.takeJobs(slot);
      this.emit({ type: 'crashed', pool: this.opts.name, threadId: slot.threadId, ...(job ? { jobId: job.id } : {}), message: cause.message });
      job?.reject(new WorkerError('crashed', `${this.opts.name} died during a job: ${cause.message}`, { cause }));
      this.requeue(waiting, cause);
    }
    this.refill();
    this.pump();
  }

  private onTimeout(slot: Slot, job: Job): void {
    if (slot.jobs[0] !== job) return;
    const waiting = this.takeJobs(slot).slice(1);
    this.lastFailure = `a job timed out after ${job.timeoutMs / 1000} s`;
    this.emit({ type: 'timeout', pool: this.opts.name, threadId: slot.threadId, jobId: job.id, timeoutMs: job.timeoutMs });
    // the job that timed out first: a caller waiting on both sees the cause
    job.reject(new WorkerError('timeout', `${this.opts.name}: job timed out after ${job.timeoutMs / 1000} s; the worker was terminated and is replaced`));
    this.requeue(waiting, new Error(this.lastFailure));
    this.retire(slot);
    this.refill();
    this.pump();
  }

  /** Removes a worker from the pool and terminates it (once it is outside native calls). */
  private retire(slot: Slot): void {
    slot.gone = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const t = terminateSafely(slot.worker, slot.guard, slot.exited).catch(() => {});
    this.terminations.add(t);
    void t.finally(() => this.terminations.delete(t));
  }

  /** Starts workers up to `size`; beyond the first `size`, each start spends the restart budget. */
  private refill(): void {
    if (this.closed || this.starting) return;
    while (this.slots.length < this.size) {
      const restart = this.spawned >= this.size;
      if (restart && !this.budget.tryTake()) {
        this.restartLimited();
        return;
      }
      this.spawn().catch(() => {}); // a failed start is reported through onMessage/lost
      if (restart) this.emit({ type: 'restarted', pool: this.opts.name, threadId: this.slots.at(-1)!.threadId, restartsInWindow: this.budget.used() });
    }
  }

  private restartLimited(): void {
    const retryAt = this.budget.nextAllowedAt();
    if (retryAt !== this.limitReported) {
      this.limitReported = retryAt;
      this.emit({ type: 'restartLimited', pool: this.opts.name, maxRestarts: this.budget.max, windowMs: this.budget.windowMs, retryAt });
    }
    if (this.slots.length > 0) return; // the remaining workers take the queue
    const err = this.limitError();
    for (const j of this.queues.normal.splice(0).concat(this.queues.low.splice(0))) j.reject(err);
  }

  private limitError(): WorkerError {
    const { max, windowMs } = this.budget;
    const at = this.budget.nextAllowedAt();
    const until = Number.isFinite(at) ? `until ${new Date(at).toISOString()}` : '(no restarts allowed)';
    return new WorkerError('restart-limit', `${this.opts.name}s were restarted ${max} times within ${windowMs / 1000} s (last failure: ${this.lastFailure}); jobs fail ${until}`);
  }

  /** Hands queued jobs to idle workers, then (jobsPerWorker > 1) normal ones to busy workers. */
  private pump(): void {
    for (let held = 0; held < this.perWorker; held++) {
      for (;;) {
        const slot = this.slots.find((s) => s.ready && s.jobs.length === held);
        if (!slot) break;
        const job = this.queues.normal.shift() ?? (held === 0 ? this.queues.low.shift() : undefined);
        if (!job) return;
        this.dispatch(slot, job);
      }
    }
  }

  /** Jobs a lost worker held but never started: queued again (first), or failed when their request buffers went with it. */
  private requeue(jobs: Job[], cause: Error): void {
    const again = jobs.filter((j) => j.transfer.length === 0);
    for (const j of jobs) if (j.transfer.length > 0) j.reject(new WorkerError('crashed', `${this.opts.name} was lost before it started this job (${cause.message}); its request was moved to it`, { cause }));
    this.queues.normal.unshift(...again);
  }

  private dispatch(slot: Slot, job: Job): void {
    const msg: ToWorker = { type: 'job', id: job.id, body: job.body };
    try {
      slot.worker.postMessage(msg, job.transfer as ArrayBuffer[]);
    } catch (e) {
      job.reject(e instanceof Error ? e : new Error(String(e))); // e.g. a detached buffer
      return;
    }
    slot.jobs.push(job);
    // Referenced only while busy: an idle pool never keeps the process alive on its own.
    slot.worker.ref();
    if (slot.jobs.length === 1) this.armDeadline(slot, job);
  }

  private armDeadline(slot: Slot, job: Job): void {
    if (job.timeoutMs <= 0) return;
    if (job.timer) clearTimeout(job.timer);
    job.timer = setTimeout(() => this.onTimeout(slot, job), job.timeoutMs);
    job.timer.unref();
  }

  /** Every job the worker held (the running one first), deadlines cleared. */
  private takeJobs(slot: Slot): Job[] {
    const jobs = slot.jobs.splice(0);
    for (const j of jobs) if (j.timer) clearTimeout(j.timer);
    return jobs;
  }

  private emit(e: WorkerPoolEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch {
      // a failing listener must not break supervision
    }
  }
}
