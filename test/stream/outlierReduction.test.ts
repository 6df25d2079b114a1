/**
 * Outlier reduction at arrival (stream.assign.reduceOutliers): a post the k-NN vote makes an outlier
 * goes to its nearest topic centroid when the cosine similarity is at least the threshold; counted on
 * /metrics through the processor's batch event. Vectors here mean something (a post half-way between
 * a theme and the outliers), so the theme embedder of fakes.ts is extended by posts that spell their
 * vector ("v: 0.6 0 0 0 0 0 0 0.8").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { createMatrix, type Matrix } from '../../src/core/types.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { StreamMetrics } from '../../src/stream/streamMetrics.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import type { RawRecord } from '../../src/stream/types.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from './fakes.js';

class SpelledEmbedder extends ThemeEmbedder {
  override async embed(texts: readonly string[]): Promise<Matrix> {
    const themed = await super.embed(texts);
    const m = createMatrix(texts.length, this.dim, themed.data);
    texts.forEach((t, i) => {
      if (!t.startsWith('v:')) return;
      const v = Float32Array.from(t.slice(2).trim().split(/\s+/).map(Number));
      const n = Math.hypot(...v);
      m.data.set(v.map((x) => x / n), i * this.dim);
    });
    return m;
  }
}

let offset = 0;
const post = (id: string, text: string): RawRecord => ({ topic: 'posts', partition: 0, offset: String(offset++), key: null, value: Buffer.from(JSON.stringify({ id, text })), timestamp: Date.now() });

async function setup(reduceOutliers: Record<string, unknown>) {
  const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: 200 }, refit: { everyDocs: 48, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3, reduceOutliers } } } });
  const sink = new MemorySink();
  const p = new StreamProcessor({ config, embedder: new SpelledEmbedder(), sink, refitter: new ThemeRefitter(), log: pino({ level: 'silent' }) });
  const metrics = new StreamMetrics(false);
  metrics.listen(p);
  const last = () => sink.values<{ doc_id: string; topic_id: number; probability: number }>('assignments').at(-1)!;
  return { p, sink, metrics, last };
}

/** 40 themed posts and 8 off-theme ones (the refit leaves those as outliers), then one refit. */
async function fitted(p: StreamProcessor): Promise<Map<string, number>> {
  const docs = Array.from({ length: 40 }, (_, i) => post(`d${i}`, `${THEMES[i % 4]} post ${i}`));
  const off = Array.from({ length: 8 }, (_, i) => post(`z${i}`, `zeta noise ${i}`));
  await p.handleBatch([...docs, ...off]);
  await p.idle();
  assert.equal(p.modelVersion, 1);
  return new Map(p.registry.active().map((t) => [t.words[0]!.word, t.id]));
}

const counter = async (m: StreamMetrics, name: string) => (await m.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
// nearest neighbours: the off-theme outliers (cosine 0.8); the alpha centroid at cosine 0.6
const BETWEEN = 'v: 0.6 0 0 0 0 0 0 0.8';

test('off by default: a k-NN outlier stays -1', async () => {
  assert.deepEqual(loadConfig({ env: {} }).stream.assign.reduceOutliers, { enabled: false, minSimilarity: 0.5 });
  const { p, last, metrics } = await setup({});
  await fitted(p);
  const before = await counter(metrics, 'topicstream_documents_outlier_total');
  await p.handleBatch([post('q', BETWEEN)]);
  assert.equal(last().topic_id, -1);
  assert.equal(await counter(metrics, 'topicstream_outliers_reduced_total'), 0);
  assert.equal(await counter(metrics, 'topicstream_documents_outlier_total'), before + 1, 'counted as an outlier at arrival');
});

test('on: a k-NN outlier close enough to a topic centroid gets that topic, and is counted', async () => {
  const { p, last, metrics } = await setup({ enabled: true, minSimilarity: 0.5 });
  const ids = await fitted(p);
  const before = await counter(metrics, 'topicstream_documents_outlier_total');
  await p.handleBatch([post('q', BETWEEN)]);
  assert.equal(last().topic_id, ids.get('alpha'), 'the nearest topic by centroid');
  assert.ok(last().probability > 0.5 && last().probability <= 1);
  assert.equal(p.window.get('q')?.topic, ids.get('alpha'), 'joins the window in that topic');
  assert.equal(await counter(metrics, 'topicstream_outliers_reduced_total'), 1);
  assert.equal(await counter(metrics, 'topicstream_documents_outlier_total'), before, 'a reduced outlier is not counted as an outlier');
  // nothing near any topic stays an outlier
  await p.handleBatch([post('far', 'v: 0 0 0 0 0 0 0 1')]);
  assert.equal(last().topic_id, -1);
  assert.equal(await counter(metrics, 'topicstream_outliers_reduced_total'), 1);
  // a post the vote assigns is left alone
  await p.handleBatch([post('b', 'beta again')]);
  assert.equal(last().topic_id, ids.get('beta'));
  assert.equal(await counter(metrics, 'topicstream_outliers_reduced_total'), 1);
});

test('on: below the threshold, or before any model has centroids, an outlier stays -1', async () => {
  const strict = await setup({ enabled: true, minSimilarity: 0.7 });
  await fitted(strict.p);
  await strict.p.handleBatch([post('q', BETWEEN)]);
  assert.equal(strict.last().topic_id, -1, 'cosine 0.6 < 0.7');

  const cold = await setup({ enabled: true, minSimilarity: -1 });
  await cold.p.handleBatch([post('first', 'alpha first')]);
  assert.equal(cold.last().topic_id, -1, 'no centroids before the first refit');
  assert.equal(await counter(cold.metrics, 'topicstream_outliers_reduced_total'), 0);
});

test('the search API\'s assign reduces as arrival does', async () => {
  const { p } = await setup({ enabled: true, minSimilarity: 0.5 });
  const ids = await fitted(p);
  const [vec] = [(await new SpelledEmbedder().embed([BETWEEN])).data];
  const a = p.assign(vec!);
  assert.equal(a.topic, ids.get('alpha'));
  assert.equal(a.reduced, true);
});
