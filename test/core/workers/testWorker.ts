/**
 * A tiny worker for the WorkerPool tests: echoes, transfers, reports progress, throws, hangs,
 * exits, blocks on a gate, or spins inside a native section, as each job asks.
 * workerData `{ failLoad: true }` makes its setup fail.
 */
import { threadId } from 'node:worker_threads';
import { nativeSection } from '../../../src/core/workers/nativeSection.js';
import { serveJobs, withTransfer, workerInput } from '../../../src/core/workers/serve.js';

export type TestJob =
  | { op: 'echo'; value: unknown }
  | { op: 'double'; data: Float64Array }
  | { op: 'progress'; steps: number }
  | { op: 'throw'; message: string }
  /** flags[0] = 1 once spinning */
  | { op: 'hang'; flags: Int32Array }
  | { op: 'exit'; code: number }
  /** waits until gate[0] != 0, then answers its label */
  | { op: 'block'; gate: Int32Array; label: string }
  /** inside a native section: flags[0] = 1, counts flags[1] up until flags[2] != 0; then hangs outside it */
  | { op: 'section'; flags: Int32Array };

export interface TestReply {
  threadId: number;
  value?: unknown;
}

function signal(flags: Int32Array, i: number, v: number): void {
  Atomics.store(flags, i, v);
  Atomics.notify(flags, i);
}

function spinForever(): never {
  for (;;) {
    // a synchronous hang
  }
}

serveJobs<TestJob, TestReply, { threadId: number }>(() => {
  if (workerInput<{ failLoad?: boolean } | undefined>()?.failLoad) throw new Error('no model here');
  return {
    info: { threadId },
    handle: (job, ctx) => {
      switch (job.op) {
        case 'echo':
          return { threadId, value: job.value };
        case 'double': {
          for (let i = 0; i < job.data.length; i++) job.data[i]! *= 2;
          return withTransfer({ threadId, value: job.data }, [job.data.buffer as ArrayBuffer]);
        }
        case 'progress':
          for (let i = 1; i <= job.steps; i++) ctx.progress(i);
          return { threadId };
        case 'throw':
          throw new Error(job.message);
        case 'hang':
          signal(job.flags, 0, 1);
          return spinForever();
        case 'exit':
          return process.exit(job.code);
        case 'block':
          Atomics.wait(job.gate, 0, 0);
          return { threadId, value: job.label };
        case 'section':
          nativeSection(() => {
            signal(job.flags, 0, 1);
            while (Atomics.load(job.flags, 2) === 0) Atomics.add(job.flags, 1, 1);
          });
          return spinForever();
      }
    },
  };
});
