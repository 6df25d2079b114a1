/**
 * Role elected's window parts (src/stream/window/windowFeed.ts, src/stream/messages.ts): post-embeddings
 * messages round-trip into the window; a topic the model does not have joins as an outlier; an id
 * already in the window, an unreadable message or another dimension is skipped; the window sample
 * picks the same posts on every instance. Random unit vectors (nothing here cares what they mean).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { Mulberry32 } from '../../src/core/random.js';
import { WindowIndex } from '../../src/stream/assign/windowIndex.js';
import { LiveModel } from '../../src/stream/model/liveModel.js';
import { inWindowSample, postEmbeddingMessage } from '../../src/stream/messages.js';
import { sharedEmbeddings, WindowFeed } from '../../src/stream/window/windowFeed.js';
import { WindowStore } from '../../src/stream/window/windowStore.js';
import { hnsw } from '../helpers/hnsw.js';

const DIM = 8;
const rng = new Mulberry32(9);
const vec = (dim = DIM) => new Float32Array(dim).map(() => rng.next() - 0.5);

test('post-embeddings join the window; unknown topics as outliers; duplicates, bad messages and another model\'s skipped', () => {
  const config = loadConfig({ env: {} });
  const window = new WindowStore(100, DIM);
  const index = new WindowIndex(window, { hnsw: hnsw(), k: 3, minSimilarity: 0, minShare: 0 });
  const model = new LiveModel(10, new Map(), config.stream.history);
  model.registry.ensure(4, 1);
  const feed = new WindowFeed(window, index, model, 0, pino({ level: 'silent' }), 'model-a');
  const v = vec();
  const msg = (id: string, topic: number, dim = DIM, modelId = 'model-a') => Buffer.from(postEmbeddingMessage({ id, text: `text of ${id}`, ts: 1000 }, dim === DIM ? v : vec(dim), { topic, probability: 0.8, modelVersion: 1, modelId }, 5).value);
  const added = feed.addShared([msg('a', 4), msg('b', 7), msg('a', 4), Buffer.from('{"id":"x"}'), Buffer.from('not json'), msg('c', 4, 16), msg('d', 4, DIM, 'model-b')], 0);
  assert.equal(added, 2, 'a and b');
  assert.deepEqual([...window.iterate()].map((d) => [d.id, d.topic, d.text, d.ts]), [['a', 4, 'text ', 1000], ['b', -1, 'text ', 1000]], 'text cut at textChars, topic 7 unknown: an outlier');
  assert.deepEqual(Array.from(window.vectorOfSeq(window.get('a')!.seq)!), Array.from(v), 'the vector round-trips exactly');
  assert.equal(model.registry.get(4)!.size, 1);
  assert.equal(index.count, 2);
});

test('the window sample is a stable share of the ids, the same on every instance', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `post-${i}`);
  const picked = ids.filter((id) => inWindowSample(id, 0.1));
  assert.ok(Math.abs(picked.length / ids.length - 0.1) < 0.01, `${picked.length} of ${ids.length}`);
  assert.deepEqual(ids.filter((id) => inWindowSample(id, 0.1)), picked, 'the same ids every time');
  assert.ok(ids.every((id) => inWindowSample(id, 1)));
  const accepted = ids.slice(0, 200).map((id) => ({ doc: { id, text: 't' }, vec: vec(), a: { topic: 0, probability: 1 } }));
  const out = sharedEmbeddings(accepted, { modelVersion: 3, modelId: 'm' }, { textChars: 10, windowSample: 0.1, sessionTimeoutSeconds: 10 }, 1_000_000);
  assert.deepEqual(out.map((m) => m.key), accepted.map((x) => x.doc.id).filter((id) => inWindowSample(id, 0.1)));
});

test('a shared post whose message would pass kafka.maxOutputBytes goes without its text; an excerpt never ends inside a surrogate pair', () => {
  const long = { doc: { id: 'p', text: '€'.repeat(3000) }, vec: vec(), a: { topic: 0, probability: 1 } };
  const [m] = sharedEmbeddings([long], { modelVersion: 1, modelId: 'm' }, { textChars: 3000, windowSample: 1, sessionTimeoutSeconds: 10 }, 4000);
  assert.equal((JSON.parse(m!.value) as { text: string }).text, '');
  const emoji = postEmbeddingMessage({ id: 'e', text: 'ab😀cd' }, vec(), { topic: 0, probability: 1, modelVersion: 1, modelId: 'm' }, 3);
  assert.equal((JSON.parse(emoji.value) as { text: string }).text, 'ab');
});
