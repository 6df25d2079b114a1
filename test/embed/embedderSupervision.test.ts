/**
 * The embedder's supervision with the real model (pulled into the default cache if absent):
 * a worker that dies mid-batch (the crash-embed test hook) fails that batch only, and the next
 * batch is embedded as before; a batch past its deadline fails without taking the process down
 * (its worker is terminated between forward passes, never inside one); low-priority batches
 * wait behind every normal one. Orders are asserted, never timings.
 */
import assert from 'node:assert/strict';
import { before, test, type TestContext } from 'node:test';
import { isWorkerError } from '../../src/core/workers/errors.js';
import type { WorkerPoolEvent } from '../../src/core/workers/events.js';
import { CRASH_EMBED_MARKER } from '../../src/core/workers/testHooks.js';
import { createEmbedder, type EmbedderOptions, type TopicstreamEmbedder } from '../../src/embed/embedder.js';
import { pullModel } from '../../src/embed/model/pull.js';

// Workers copy the environment when they start: set before any embedder is created.
process.env.TOPICSTREAM_TEST_HOOKS = 'crash-embed';

const texts = [
  'The cat sat on the mat.',
  'Stock markets fell sharply on Monday after the announcement.',
  'How do I reset my password?',
  'A long walk in the mountains clears the mind.',
  'The new graphics card renders twice as many frames per second.',
];

async function embedder(t: TestContext, o: EmbedderOptions): Promise<TopicstreamEmbedder> {
  const e = await createEmbedder({ dtype: 'fp32', ...o });
  t.after(() => e.close());
  return e;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

before(async () => {
  await pullModel({ dtype: 'fp32' });
});

test('a worker that dies mid-batch fails that batch; the next batch is embedded as before', async (t) => {
  const events: WorkerPoolEvent[] = [];
  const e = await embedder(t, { workers: 1, batchSize: 2, onWorkerEvent: (ev) => events.push(ev) });
  const before = await e.embed(texts);
  // two sub-batches of 2 windows: the worker exits after the first forward pass
  const poisoned = [...texts.slice(0, 3), `here it comes ${CRASH_EMBED_MARKER}`];
  await assert.rejects(e.embed(poisoned), (err) => isWorkerError(err, 'crashed') && /embedding worker died during a job: exited with code 1/.test(err.message));
  const after = await e.embed(texts);
  assert.ok(maxAbsDiff(before.data, after.data) < 1e-5, 'same vectors from the replacement worker');
  assert.deepEqual(events.map((ev) => ev.type), ['crashed', 'restarted']);
});

test('a batch past its deadline fails with a timeout and the process survives the termination', async (t) => {
  const events: WorkerPoolEvent[] = [];
  // 64 texts of ~250 tokens, 32 windows per forward pass (no token cap): far beyond a 500 ms
  // deadline, so the deadline falls inside a forward pass (terminating there would abort the process)
  const e = await embedder(t, { workers: 1, batchSize: 32, batchTokens: 32 * 256, timeoutSeconds: 0.5, onWorkerEvent: (ev) => events.push(ev) });
  const long = Array.from({ length: 64 }, (_, i) => `topic ${i} `.repeat(80));
  await assert.rejects(e.embed(long), (err) => isWorkerError(err, 'timeout') && /timed out after 0\.5 s/.test(err.message));
  assert.deepEqual(events.slice(0, 2).map((ev) => ev.type), ['timeout', 'restarted']);
  await e.close(); // waits for the terminated worker and for the replacement's model load
});

test('low-priority batches wait behind every normal batch, including later ones', async (t) => {
  const e = await embedder(t, { workers: 1, batchSize: 64 });
  const order: string[] = [];
  const job = (label: string, priority?: 'low') => e.embed([`${label}: ${texts[0]}`, texts[1]!], undefined, priority).then(() => order.push(label));
  // the first batch goes to the idle worker at once; the others queue behind it
  const jobs = [job('normal 1'), job('low 1', 'low'), job('normal 2'), job('low 2', 'low'), job('normal 3')];
  await Promise.all(jobs);
  assert.deepEqual(order, ['normal 1', 'normal 2', 'normal 3', 'low 1', 'low 2']);
});
