/**
 * The refit worker under supervision: a refit that hangs (the hang-refit test hook: a synchronous
 * loop) fails at stream.refit.timeoutSeconds and the next job gets a new worker; close() during a
 * hung refit returns promptly; a deadline that falls inside the k-NN phase (hnswlib, native)
 * terminates the worker between native calls, without taking the process down.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { loadConfig } from '../../../src/config/load.js';
import { isWorkerError } from '../../../src/core/workers/errors.js';
import { WorkerRefitter } from '../../../src/stream/refit/workerRefitter.js';
import type { ClusterJob, DescribeJob } from '../../../src/stream/refit/types.js';

function refitter(t: TestContext, timeoutSeconds: number, hooks = '', knn: object = {}): WorkerRefitter {
  // the worker starts with the first job and copies the environment then
  if (hooks) process.env.TOPICSTREAM_TEST_HOOKS = hooks;
  else delete process.env.TOPICSTREAM_TEST_HOOKS;
  const config = loadConfig({ env: {}, flags: { knn, stream: { refit: { timeoutSeconds } } } });
  const r = new WorkerRefitter(config);
  t.after(() => r.close());
  return r;
}

function clusterJob(n: number, dim = 384): ClusterJob {
  let s = 7;
  const embeddings = new Float32Array(n * dim).map(() => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5);
  return { embeddings, n, dim, seed: 1 };
}

const describeJob: DescribeJob = {
  texts: ['cats purr', 'cats sleep', 'dogs bark', 'dogs run'],
  topics: Int32Array.from([0, 0, 1, 1]),
  decay: 0,
  seed: 1,
};

test('a hung refit fails at its deadline; the next job runs on a new worker', async (t) => {
  const r = refitter(t, 0.5, 'hang-refit');
  await assert.rejects(r.cluster(clusterJob(50)), (e) => isWorkerError(e, 'timeout') && /refit worker: job timed out after 0\.5 s/.test(e.message));
  delete process.env.TOPICSTREAM_TEST_HOOKS;
  const d = await r.describe(describeJob);
  assert.deepEqual(Object.keys(d.words).sort(), ['0', '1']);
});

test('close() during a hung refit rejects it and returns promptly', async (t) => {
  const r = refitter(t, 900, 'hang-refit');
  await r.describe(describeJob); // the worker is up: the cluster job goes to it at once
  const hung = assert.rejects(r.cluster(clusterJob(50)), (e) => isWorkerError(e, 'closed'));
  const t0 = performance.now();
  await r.close();
  assert.ok(performance.now() - t0 < 10_000, 'close() returned within a generous bound');
  await hung;
});

test('a deadline inside the k-NN phase terminates the worker between native calls; the process lives on', async (t) => {
  // A cheap HNSW build (M 4, efConstruction 8) spends much of its time reading each vector out of
  // JavaScript inside addPoint, where a termination aborts the process; 12,000 × 384 still takes
  // well over the 0.2 s deadline, so the deadline falls inside the k-NN phase.
  // Where the deadline lands varies, so three rounds (without the guard, at least one of them
  // aborts the process nearly always).
  const r = refitter(t, 0.2, '', { M: 4, efConstruction: 8 });
  const job = clusterJob(12_000);
  for (let round = 0; round < 3; round++) await assert.rejects(r.cluster(job), (e) => isWorkerError(e, 'timeout'));
  const d = await r.describe(describeJob);
  assert.deepEqual(Object.keys(d.words).sort(), ['0', '1']);
});

/** Nice value of each thread of this process (Linux /proc; field 19 of stat, after the command in parentheses). */
function threadNiceness(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

test('the refit worker runs at stream.refit.niceness; the other threads do not', { skip: process.platform !== 'linux' }, async (t) => {
  const r = refitter(t, 60);
  await r.describe(describeJob);
  const nice = threadNiceness();
  const base = nice.get(process.pid)!;
  if (base >= 10) return t.skip(`this process already runs at nice ${base}`);
  assert.equal([...nice.values()].filter((n) => n === 10).length, 1, `one thread at nice 10, the others at ${base}: ${JSON.stringify([...nice])}`);
  assert.ok([...nice.values()].every((n) => n === 10 || n === base));
});
