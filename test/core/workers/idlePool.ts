/** Run as a process by workerPool.test.ts: uses a pool and never closes it; it must exit on its own. */
import { WorkerPool } from '../../../src/core/workers/workerPool.js';
import type { TestJob, TestReply } from './testWorker.js';

const p = new WorkerPool<TestJob, TestReply>({ name: 'test worker', script: new URL('./testWorker.js', import.meta.url) });
await p.start();
const r = await p.run({ op: 'echo', value: 'done' });
console.log(r.value);
