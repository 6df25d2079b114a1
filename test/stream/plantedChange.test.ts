/**
 * Refits with memory (stream.memory: warm start and hysteresis) must not hide real change: a
 * subject whose posts change vocabulary half-way still splits off its parent, and a subject that
 * was not there before is still born. Real texts (generated from templates, seeded) through the
 * processor with the real embedding model, the real refit worker and an in-memory sink; memory on
 * (the defaults) and off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { Mulberry32 } from '../../src/core/random.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import { WorkerRefitter } from '../../src/stream/refit/workerRefitter.js';
import { interleave, posts, SubjectFeed } from '../helpers/subjectPosts.js';

async function run(memory: 'on' | 'off') {
  const config = loadConfig({
    env: {},
    flags: {
      embedding: { workers: 1 },
      hdbscan: { minClusterSize: 15 },
      stream: {
        window: { maxDocs: 2000 },
        refit: { everyDocs: 200, minDocs: 100, everySeconds: 0 },
        ...(memory === 'off' ? { memory: { warmStart: false, hysteresis: false } } : {}),
      },
    },
  });
  const rng = new Mulberry32(7);
  const phase1 = interleave([{ subject: 'garden', texts: posts(rng, 'garden', 200) }, { subject: 'baking', texts: posts(rng, 'baking', 200) }, { subject: 'space', texts: posts(rng, 'space', 200) }], rng);
  const phase2 = interleave([{ subject: 'pests', texts: posts(rng, 'pests', 150) }, { subject: 'baking', texts: posts(rng, 'baking', 50) }, { subject: 'space', texts: posts(rng, 'space', 50) }, { subject: 'crypto', texts: posts(rng, 'crypto', 150) }], rng);
  const embedder = await createEmbedderFromConfig(config);
  const refitter = new WorkerRefitter(config);
  const sink = new MemorySink();
  const p = new StreamProcessor({ config, embedder, sink, refitter, log: pino({ level: 'silent' }) });
  const posted = new SubjectFeed();
  const subjectOf = posted.subjectOf;
  try {
    await posted.feed(p, phase1);
    // the garden topic: where most garden posts are
    const gardenId = majorityTopic(p, subjectOf, 'garden');
    const eventsBefore = sink.values('events').length;
    await posted.feed(p, phase2);
    const events = sink.values<{ type: string; topic_id: number; related: number[] }>('events').slice(eventsBefore);
    return { p, events, gardenId, topicOf: (subject: string) => majorityTopic(p, subjectOf, subject) };
  } finally {
    await p.close();
    await refitter.close();
    await embedder.close();
  }
}

function majorityTopic(p: StreamProcessor, subjectOf: Map<string, string>, subject: string): number {
  const counts = new Map<number, number>();
  for (const d of p.window.view().docs) if (subjectOf.get(d.id) === subject && d.topic >= 0) counts.set(d.topic, (counts.get(d.topic) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
}

for (const memory of ['on', 'off'] as const) {
  test(`memory ${memory}: a subject that changes vocabulary splits off its parent, a new subject is born`, async () => {
    const { events, gardenId, topicOf } = await run(memory);
    assert.ok(gardenId >= 0, 'the garden posts formed a topic');
    const pestsId = topicOf('pests');
    const cryptoId = topicOf('crypto');
    assert.ok(pestsId >= 0 && pestsId !== gardenId, `the pest posts have a topic of their own (${pestsId}, garden ${gardenId})`);
    assert.ok(cryptoId >= 0 && ![gardenId, pestsId, topicOf('baking'), topicOf('space')].includes(cryptoId), 'the crypto posts have a topic of their own');
    const summary = events.map((e) => `${e.type} ${e.topic_id} ← ${e.related.join(',')}`).join('; ');
    assert.ok(events.some((e) => e.type === 'split' && e.topic_id === pestsId && e.related[0] === gardenId), `a split of the pests topic off garden: ${summary}`);
    assert.ok(events.some((e) => e.type === 'born' && e.topic_id === cryptoId), `the crypto topic was born: ${summary}`);
    assert.equal(topicOf('garden'), gardenId, 'the garden topic kept its id');
  });
}
