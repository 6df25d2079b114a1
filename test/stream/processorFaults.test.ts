// The processor under faults, with in-memory sinks and the test embedder (this code does not care
// what the vectors mean): a record that keeps failing goes to the DLQ and never blocks the others; an
// outage is retried, not dead-lettered; a refit whose publish fails leaves the previous model in
// place; outputs over the broker's limit are routed to the DLQ; and a follower fed 50,000 posts keeps
// its window, index and registry bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import { TransientError } from '../../src/stream/errors.js';
import { encodeCentroid, type PublishedModel } from '../../src/stream/model/modelMessage.js';
import type { OutMessage, OutStream, RawRecord } from '../../src/stream/types.js';
import type { Matrix } from '../../src/core/types.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from './fakes.js';

const log = pino({ level: 'silent' });

function config(over: Record<string, unknown> = {}) {
  const base = { stream: { window: { maxDocs: 200 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3 } } };
  return loadConfig({ env: {}, flags: { ...base, ...over } });
}

let offset = 0;
const post = (id: string, text: string, partition = 0): RawRecord => ({ topic: 'posts', partition, offset: String(offset++), key: null, value: Buffer.from(JSON.stringify({ id, text })), timestamp: Date.now() });
const themed = (n: number, from: number) => Array.from({ length: n }, (_, i) => post(`d${from + i}`, `${THEMES[(from + i) % 4]} post ${from + i}`));

/** Embeds like ThemeEmbedder, but fails every batch that holds a text containing POISON. */
class PoisonedEmbedder extends ThemeEmbedder {
  override async embed(texts: readonly string[]): Promise<Matrix> {
    if (texts.some((t) => t.includes('POISON'))) throw new Error('embedding worker failed: worker exited with code 1');
    return super.embed(texts);
  }
}

/** A sink whose sends to some streams fail (transiently, as a broker outage does) while `failing` is set. */
class FlakySink extends MemorySink {
  failing = new Set<OutStream>();
  override async send(s: OutStream, messages: OutMessage[]): Promise<void> {
    if (this.failing.has(s)) throw new TransientError(`broker away (${s})`);
    return super.send(s, messages);
  }
}

test('a record that fails every attempt goes to the DLQ; the records around it are assigned', async () => {
  const sink = new MemorySink();
  const p = new StreamProcessor({ config: config(), embedder: new PoisonedEmbedder(), sink, refitter: new ThemeRefitter(), log });
  await p.handleBatch([post('a', 'alpha one'), post('p', 'alpha POISON'), post('b', 'beta two')]);
  assert.deepEqual(sink.values<{ doc_id: string }>('assignments').map((a) => a.doc_id).sort(), ['a', 'b']);
  const dlq = sink.values<{ reason: string; message: string }>('dlq');
  assert.equal(dlq.length, 1);
  assert.equal(dlq[0]!.reason, 'processing_failed');
  assert.match(dlq[0]!.message, /failed 3 times: embedding worker failed/);
  assert.equal(p.stats.consumed, 3);
  assert.equal(p.offsets.get(0), String(offset - 1), 'the whole batch is handled: its offsets advance');
});

test('an outage is retried, not dead-lettered: the batch rejects and succeeds when delivered again', async () => {
  const sink = new FlakySink();
  const p = new StreamProcessor({ config: config(), embedder: new ThemeEmbedder(), sink, refitter: new ThemeRefitter(), log });
  const batch = [post('a', 'alpha one'), post('b', 'beta two')];
  sink.failing.add('assignments');
  await assert.rejects(p.handleBatch(batch), TransientError);
  assert.equal(sink.values('dlq').length, 0);
  sink.failing.clear();
  await p.handleBatch(batch);
  assert.deepEqual(sink.values<{ doc_id: string }>('assignments').map((a) => a.doc_id), ['a', 'b'], 'answered on redelivery');
  assert.equal(p.window.size, 2);
});

test('a refit whose publish fails leaves the previous model in place; the next refit does not reuse its version or ids', async () => {
  const sink = new FlakySink();
  const refitter = new ThemeRefitter();
  const p = new StreamProcessor({ config: config(), embedder: new ThemeEmbedder(), sink, refitter, log });
  await p.handleBatch(themed(40, 0));
  await p.idle();
  assert.equal(p.modelVersion, 1);
  const before = { topics: p.registry.all().map((t) => [t.id, t.status, t.size]), docs: [...p.window.iterate()].map((d) => d.topic), nextId: p.registry.nextId };
  refitter.shift = 1; // the clusterer relabels: ids must still be matched
  sink.failing.add('updates');
  await p.handleBatch(themed(40, 40));
  await p.idle();
  assert.equal(p.stats.refitFailures, 1);
  assert.equal(p.modelVersion, 1, 'the failed refit is not applied');
  assert.deepEqual(p.window.view().docs.slice(0, 40).map((d) => d.topic), before.docs, 'documents keep their topics');
  sink.failing.clear();
  const published = sink.values<{ model_version: number }>('models').length;
  await p.handleBatch(themed(40, 80));
  await p.idle();
  assert.equal(p.modelVersion, 3, 'version 2 was burned by the failed publish');
  assert.equal(sink.values<{ model_version: number }>('models').length, published + 1);
  assert.ok(p.registry.nextId >= before.nextId);
});

test('an output over kafka.maxOutputBytes goes to the DLQ as output_too_large, the rest is assigned', async () => {
  const sink = new MemorySink();
  const cfg = config({ input: { maxIdChars: 5000 }, kafka: { maxOutputBytes: 2000 } });
  const p = new StreamProcessor({ config: cfg, embedder: new ThemeEmbedder(), sink, refitter: new ThemeRefitter(), log });
  await p.handleBatch([post('a', 'alpha one'), post('x'.repeat(1200), 'alpha long id'), post('b', 'beta two')]);
  assert.deepEqual(sink.values<{ doc_id: string }>('assignments').map((a) => a.doc_id), ['a', 'b']);
  assert.deepEqual(sink.values<{ reason: string }>('dlq').map((d) => d.reason), ['output_too_large']);
  assert.equal(p.window.has('x'.repeat(1200)), false);
});

test('a follower fed 50,000 posts with a 2,000-document window keeps window, index and registry bounded', async () => {
  const cfg = config({ stream: { role: 'follower', window: { maxDocs: 2000 }, retiredTopicsKept: 20, assign: { k: 5, minSimilarity: 0.3 } } });
  const embedder = new ThemeEmbedder();
  const p = new StreamProcessor({ config: cfg, embedder, sink: new MemorySink(), refitter: new ThemeRefitter(), log });
  let maxCapacity = 0;
  let version = 0;
  for (let i = 0; i < 50_000; i += 250) {
    if (i % 1000 === 0) {
      // a new model every 1,000 posts whose topics all have new ids: the old ones retire
      version++;
      const dirs = await embedder.embed(THEMES.map((t) => `${t} centroid`));
      const model: PublishedModel = {
        model_version: version,
        model_id: embedder.modelId,
        dim: embedder.dim,
        at: new Date().toISOString(),
        topics: THEMES.map((t, j) => ({ id: version * 10 + j, label: t, size: 1, words: [{ word: t, score: 1 }], parent: null, born_version: version, centroid: encodeCentroid(dirs.data.slice(j * dirs.cols, (j + 1) * dirs.cols)) })),
      };
      assert.equal(p.adoptModel(model), true);
    }
    await p.handleBatch(themed(250, i));
    assert.ok(p.window.size <= 2000);
    maxCapacity = Math.max(maxCapacity, p.indexSize().capacity);
  }
  assert.equal(p.window.size, 2000);
  assert.ok(p.indexSize().live <= 2000, `index holds ${p.indexSize().live} live points`);
  assert.ok(maxCapacity <= 2 * (2000 + 1024), `index capacity reached ${maxCapacity}`);
  assert.ok(p.registry.all().length <= 20 + THEMES.length + 1, `registry holds ${p.registry.all().length} topics`);
  assert.equal(p.stats.assigned, 50_000);
});

test('two batches handed over at once: the second embeds while the first is sent; an id in both is assigned once', async () => {
  const events: string[] = [];
  class GatedSink extends MemorySink {
    release!: () => void;
    readonly gate = new Promise<void>((r) => (this.release = r));
    override async send(s: OutStream, messages: OutMessage[]): Promise<void> {
      events.push(`send ${s}`);
      if (s === 'assignments') await this.gate;
      return super.send(s, messages);
    }
  }
  class LoggingEmbedder extends ThemeEmbedder {
    override async embed(texts: readonly string[]): Promise<Matrix> {
      events.push(`embed ${texts.length}`);
      return super.embed(texts);
    }
  }
  const sink = new GatedSink();
  const p = new StreamProcessor({ config: config(), embedder: new LoggingEmbedder(), sink, refitter: new ThemeRefitter(), log });
  const first = p.handleBatch([post('x1', 'alpha one', 0), post('same', 'beta same', 0)]);
  const second = p.handleBatch([post('x2', 'gamma two', 1), post('same', 'beta same', 1), post('x3', 'delta three', 1)]);
  await new Promise((r) => setTimeout(r, 20));
  // the first batch waits for its send; the second was embedded meanwhile and waits for its turn
  assert.deepEqual(events, ['embed 2', 'embed 3', 'send assignments']);
  sink.release();
  await Promise.all([first, second]);
  const ids = sink.values<{ doc_id: string }>('assignments').map((a) => a.doc_id);
  assert.deepEqual(ids.filter((id) => id === 'same').length, 2, 'the redelivery is answered again');
  assert.equal(p.window.size, 4, 'x1, same, x2, x3: the id in both batches joined the window once');
  assert.equal(p.stats.duplicates, 1);
  assert.equal(events.filter((e) => e.startsWith('embed')).length, 2, 'nothing embedded again in the lock');
});
