/**
 * A fitted model as the first window (src/service/fittedModel.ts), with the theme fakes: the window
 * holds the newest stream.window.maxDocs fitted documents with their topics, the registry the fit's
 * ids, words and user labels, and a post is assigned to a fitted topic before any refit; the first
 * refit keeps the fit's ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { createMatrix } from '../../src/core/types.js';
import type { ModelSnapshot } from '../../src/model/snapshot.js';
import { checkFittedModel, fittedWindow, startFromFit } from '../../src/service/fittedModel.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from './fakes.js';

/** A fit of 60 themed documents: theme i is topic 10 + i (ids a refit would not choose), off-theme ones -1. */
async function fit(): Promise<ModelSnapshot> {
  const texts = Array.from({ length: 60 }, (_, i) => (i % 5 === 4 ? `zeta noise ${i}` : `${THEMES[i % 4]} fitted ${i}`));
  const emb = await new ThemeEmbedder().embed(texts);
  const labels = Int32Array.from(texts, (t) => (t.startsWith('zeta') ? -1 : 10 + THEMES.indexOf(t.split(' ')[0]!)));
  const topics = [-1, 10, 11, 12, 13].map((id) => ({
    id,
    size: labels.filter((l) => l === id).length,
    words: id === -1 ? [{ word: 'noise', score: 1 }] : [{ word: THEMES[id - 10]!, score: 1 }],
    label: id === 11 ? 'my beta' : id === -1 ? '-1_noise' : `${id}_${THEMES[id - 10]}`,
    representativeDocIds: [],
    representativeDocs: [],
  }));
  return {
    modelId: 'test/theme-embedder',
    modelVersion: 0,
    createdAt: new Date(0).toISOString(),
    config: {},
    docs: texts.map((text, i) => ({ id: `f${i}`, text, ts: 1_000 + i })),
    embeddings: createMatrix(60, emb.cols, emb.data),
    reduced: null,
    labels,
    probabilities: new Float32Array(60).fill(1),
    topics,
  };
}

test('the newest documents, their topics and the fit\'s ids, words and user labels', async () => {
  const f = await fit();
  const s = fittedWindow(f, 50);
  assert.equal(s.docs.length, 50);
  assert.equal(s.docs[0]!.id, 'f10', 'the oldest ten left out');
  assert.deepEqual(s.docs.map((d) => d.seq), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(s.state.modelVersion, 0);
  assert.equal(s.state.nextTopicId, 14);
  assert.deepEqual(Object.keys(s.state.centroids).sort(), ['10', '11', '12', '13']);
  assert.deepEqual(Object.keys(s.state.offsets), []);
  const beta = s.topics.find((t) => t.id === 11)!;
  assert.equal(beta.customLabel, 'my beta', 'a label the user gave the fit is kept');
  assert.equal(s.topics.find((t) => t.id === 10)!.customLabel, undefined, 'an automatic one is not');
  assert.equal(s.topics.reduce((n, t) => n + t.size, 0), 50, 'sizes count the documents in the window');
});

test('a post is assigned to a fitted topic before any refit; the first refit keeps the fit\'s ids', async () => {
  const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: 200 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3 } } } });
  const sink = new MemorySink();
  const p = new StreamProcessor({ config, embedder: new ThemeEmbedder(), sink, refitter: new ThemeRefitter(), log: pino({ level: 'silent' }) });
  const f = await fit();
  await startFromFit(p, sink, { from: 'DIR', snapshot: () => fittedWindow(f, 200) }, 10, pino({ level: 'silent' }));
  const updates = sink.values<{ topic_id: number; model_version: number; label: string; custom_label: string | null }>('updates');
  assert.deepEqual(updates.map((u) => [u.topic_id, u.model_version]), [[10, 0], [11, 0], [12, 0], [13, 0], [-1, 0]], 'the fit\'s topics published at start');
  assert.equal(updates[1]!.custom_label, 'my beta');
  assert.equal(p.registry.get(11)!.label, 'my beta');
  assert.equal(p.registry.get(12)!.label, 'gamma');
  const post = (id: string, text: string) => ({ topic: 'posts', partition: 0, offset: id, key: null, value: Buffer.from(JSON.stringify({ id, text })), timestamp: Date.now() });
  await p.handleBatch([post('1', 'gamma new'), post('2', 'beta new')]);
  const asg = sink.values<{ topic_id: number; model_version: number }>('assignments');
  assert.deepEqual(asg.map((a) => [a.topic_id, a.model_version]), [[12, 0], [11, 0]]);
  await p.handleBatch(Array.from({ length: 40 }, (_, i) => post(String(10 + i), `${THEMES[i % 4]} later ${i}`)));
  await p.idle();
  assert.equal(p.modelVersion, 1);
  assert.deepEqual(p.registry.active().map((t) => t.id), [10, 11, 12, 13]);
  assert.equal(p.registry.get(11)!.label, 'my beta');
});

test('another embedding model or dimension is refused, naming both', async () => {
  const f = await fit();
  assert.doesNotThrow(() => checkFittedModel(f, 'DIR', { dim: 8, modelId: 'test/theme-embedder' }));
  assert.throws(() => checkFittedModel(f, 'DIR', { dim: 8, modelId: 'other/model' }), /DIR was fitted on embeddings of test\/theme-embedder \(8-d\), but this service embeds with other\/model \(8-d\)/);
  assert.throws(() => checkFittedModel(f, 'DIR', { dim: 384, modelId: 'test/theme-embedder' }), /\(384-d\)/);
});
