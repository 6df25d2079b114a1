/**
 * WorkerPool against a tiny worker of its own (testWorker.ts): request/reply with transfers,
 * deadlines (a synchronous hang is terminated, a new worker answers), deaths, the restart rate
 * limit (on a test clock), close() during a hang and inside a native section, priorities, and
 * that an idle pool does not keep a process alive. No timing is asserted except generous bounds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { isWorkerError, type WorkerErrorCode } from '../../../src/core/workers/errors.js';
import type { WorkerPoolEvent } from '../../../src/core/workers/events.js';
import { WorkerPool, type WorkerPoolOptions } from '../../../src/core/workers/workerPool.js';
import type { TestJob, TestReply } from './testWorker.js';

const script = new URL('./testWorker.js', import.meta.url);

function pool(t: TestContext, o: Partial<WorkerPoolOptions> = {}): WorkerPool<TestJob, TestReply, { threadId: number }> {
  const p = new WorkerPool<TestJob, TestReply, { threadId: number }>({ name: 'test worker', script, ...o });
  t.after(() => p.close());
  return p;
}

const flags = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * n));

/** Waits (polling) until `cond` holds; fails after a generous bound. */
async function until(cond: () => boolean, what: string, boundMs = 20_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const code = (c: WorkerErrorCode, re?: RegExp) => (e: unknown) => isWorkerError(e, c) && (!re || re.test(e.message));

test('request and reply by id; buffers transferred both ways; progress reaches the caller', async (t) => {
  const p = pool(t);
  const [info] = await p.start();
  const data = new Float64Array([1, 2, 3]);
  const r = await p.run({ op: 'double', data }, { transfer: [data.buffer as ArrayBuffer] });
  assert.equal(data.byteLength, 0, 'the request buffer was moved, not copied');
  assert.deepEqual([...(r.value as Float64Array)], [2, 4, 6]);
  assert.equal(r.threadId, info!.threadId);
  const replies = await Promise.all([1, 2, 3].map((value) => p.run({ op: 'echo', value })));
  assert.deepEqual(replies.map((m) => m.value), [1, 2, 3]);
  const seen: unknown[] = [];
  await p.run({ op: 'progress', steps: 3 }, { onProgress: (v) => seen.push(v) });
  assert.deepEqual(seen, [1, 2, 3]);
});

test('a job that throws rejects with its message; the worker stays', async (t) => {
  const p = pool(t);
  const [info] = await p.start();
  await assert.rejects(p.run({ op: 'throw', message: 'bad input' }), code('failed', /test worker: bad input/));
  assert.equal((await p.run({ op: 'echo', value: 1 })).threadId, info!.threadId);
});

test('deadline: a synchronous hang is terminated, the job rejects, a new worker answers the next job', async (t) => {
  const events: WorkerPoolEvent[] = [];
  const p = pool(t, { timeoutMs: 300, onEvent: (e) => events.push(e) });
  const [info] = await p.start();
  await assert.rejects(p.run({ op: 'hang', flags: flags(1) }), code('timeout', /timed out after 0\.3 s/));
  const next = await p.run({ op: 'echo', value: 'after' });
  assert.equal(next.value, 'after');
  assert.notEqual(next.threadId, info!.threadId);
  assert.deepEqual(events.map((e) => e.type), ['timeout', 'restarted']);
});

test('a worker that exits fails its job; a job queued behind it runs on the replacement', async (t) => {
  const events: WorkerPoolEvent[] = [];
  const p = pool(t, { onEvent: (e) => events.push(e) });
  const [info] = await p.start();
  const dies = p.run({ op: 'exit', code: 3 });
  const queued = p.run({ op: 'echo', value: 'queued' });
  await assert.rejects(dies, code('crashed', /exited with code 3/));
  const r = await queued;
  assert.equal(r.value, 'queued');
  assert.notEqual(r.threadId, info!.threadId);
  assert.deepEqual(events.map((e) => e.type), ['crashed', 'restarted']);
});

test('restarts are rate-limited: beyond the limit jobs fail fast, after the window workers start again', async (t) => {
  let now = 1_000_000;
  const p = pool(t, { maxRestarts: 2, restartWindowMs: 60_000, clock: () => now });
  await p.start();
  for (let i = 0; i < 3; i++) await assert.rejects(p.run({ op: 'exit', code: 1 }), code('crashed'));
  // three deaths, two restarts: no worker left, none may start before the window has passed
  for (let i = 0; i < 2; i++) {
    await assert.rejects(p.run({ op: 'echo', value: i }), code('restart-limit', /restarted 2 times within 60 s \(last failure: exited with code 1\)/));
  }
  assert.equal(p.stats().workers, 0);
  now += 30_000;
  await assert.rejects(p.run({ op: 'echo', value: 'still' }), code('restart-limit'));
  now += 30_001;
  assert.equal((await p.run({ op: 'echo', value: 'back' })).value, 'back');
});

test('with no restart allowed, jobs queued behind a dying worker fail fast', async (t) => {
  const p = pool(t, { maxRestarts: 0 });
  await p.start();
  const dies = p.run({ op: 'exit', code: 1 });
  const queued = p.run({ op: 'echo', value: 1 });
  await assert.rejects(dies, code('crashed'));
  await assert.rejects(queued, code('restart-limit'));
});

test('close() during a hang rejects the job and terminates the worker promptly', async (t) => {
  const p = pool(t);
  await p.start();
  const f = flags(1);
  const job = assert.rejects(p.run({ op: 'hang', flags: f }), code('closed'));
  await until(() => Atomics.load(f, 0) === 1, 'the worker spins');
  const t0 = performance.now();
  await p.close();
  assert.ok(performance.now() - t0 < 10_000, 'close() returned within a generous bound');
  await job;
  await assert.rejects(p.run({ op: 'echo', value: 1 }), code('closed'));
});

test('a worker inside a native section is terminated only once it leaves it', async (t) => {
  const p = pool(t);
  await p.start();
  const f = flags(3); // [in section, heartbeat, release]
  const job = p.run({ op: 'section', flags: f });
  await until(() => Atomics.load(f, 0) === 1, 'the worker is inside the section');
  let closed = false;
  const closing = p.close().then(() => (closed = true));
  await assert.rejects(job, code('closed'));
  const beat = Atomics.load(f, 1);
  await until(() => Atomics.load(f, 1) > beat, 'the worker still runs after close()');
  assert.equal(closed, false, 'close() waits while the worker is inside the section');
  Atomics.store(f, 2, 1); // leave the section (the worker then spins in plain JavaScript)
  await closing;
  assert.equal(closed, true);
});

test('low-priority jobs wait behind every normal job, including later ones', async (t) => {
  const p = pool(t);
  await p.start();
  const gate = flags(1);
  const order: string[] = [];
  const jobs = [
    p.run({ op: 'block', gate, label: 'first' }),
    p.run({ op: 'block', gate, label: 'low 1' }, { priority: 'low' }),
    p.run({ op: 'block', gate, label: 'normal 1' }),
    p.run({ op: 'block', gate, label: 'low 2' }, { priority: 'low' }),
    p.run({ op: 'block', gate, label: 'normal 2' }),
  ].map((j) => j.then((r) => order.push(r.value as string)));
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  await Promise.all(jobs);
  assert.deepEqual(order, ['first', 'normal 1', 'normal 2', 'low 1', 'low 2']);
});

test('start() fails with the load error; a pool without start() starts its worker with the first job', async (t) => {
  const bad = pool(t, { size: 2, workerData: { failLoad: true } });
  await assert.rejects(bad.start(), /test worker: no model here/);
  await assert.rejects(bad.run({ op: 'echo', value: 1 }), code('closed'));
  const lazy = pool(t);
  assert.equal(lazy.stats().workers, 0);
  assert.equal((await lazy.run({ op: 'echo', value: 'lazy' })).value, 'lazy');
});

test('an idle pool does not keep the process alive', () => {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./idlePool.js', import.meta.url))], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'the process exited by itself (not killed at the bound)');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'done');
});

test('jobsPerWorker 2: a busy worker holds its next job and runs it after; a death requeues what it had not started; deadlines count from the start', async (t) => {
  const events: WorkerPoolEvent[] = [];
  const p = pool(t, { jobsPerWorker: 2, timeoutMs: 4000, onEvent: (e) => events.push(e) });
  const [info] = await p.start();
  const gate = flags(1);
  const first = p.run({ op: 'block', gate, label: 'first' });
  const second = p.run({ op: 'echo', value: 'second' });
  const third = p.run({ op: 'echo', value: 'third' });
  await until(() => p.stats().queued === 1, 'the worker holds two jobs, one queued in the pool');
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  assert.deepEqual((await Promise.all([first, second, third])).map((r) => r.value), ['first', 'second', 'third']);
  // the worker dies running a job: the one it held but had not started runs on its replacement
  const dies = p.run({ op: 'exit', code: 5 });
  const held = p.run({ op: 'echo', value: 'held' });
  await assert.rejects(dies, code('crashed', /exited with code 5/));
  const r = await held;
  assert.equal(r.value, 'held');
  assert.notEqual(r.threadId, info!.threadId);
  // unless its request buffer went with the dead worker: then it fails too
  const data = new Float64Array([1]);
  const diesAgain = p.run({ op: 'exit', code: 6 });
  const moved = p.run({ op: 'double', data }, { transfer: [data.buffer as ArrayBuffer] });
  await assert.rejects(diesAgain, code('crashed', /exited with code 6/));
  await assert.rejects(moved, code('crashed', /lost before it started this job/));
  // a held job's deadline starts when its worker starts it: b runs 2.5 s after 2.5 s of a, 5 s after it
  // was handed over, and still within its 4 s deadline (1.5 s of margin either way)
  const gateA = flags(1);
  const gateB = flags(1);
  const release = (g: Int32Array) => {
    Atomics.store(g, 0, 1);
    Atomics.notify(g, 0);
  };
  const a = p.run({ op: 'block', gate: gateA, label: 'a' });
  const b = p.run({ op: 'block', gate: gateB, label: 'b' });
  await new Promise((res) => setTimeout(res, 2500));
  release(gateA);
  assert.equal((await a).value, 'a');
  await new Promise((res) => setTimeout(res, 2500));
  release(gateB);
  assert.equal((await b).value, 'b');
  assert.deepEqual(events.map((e) => e.type), ['crashed', 'restarted', 'crashed', 'restarted']);
});
