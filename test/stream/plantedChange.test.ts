/**
 * Refits with memory (stream.memory: warm start and hysteresis) must not hide real change: a
 * subject whose posts change vocabulary half-way (garden → pests) gets topics of its own, descended
 * from the garden topics, and a subject that was not there before (crypto) is born. Real texts
 * (generated from templates, seeded) through the processor with the real embedding model, the real
 * refit worker and an in-memory sink; memory on (the defaults) and off.
 *
 * Each subject forms one cluster per template, and the pest posts are assigned to a garden topic
 * as they arrive, so which side of the change keeps that topic's id depends on the seed: the pest
 * cluster splits off the garden topic, or keeps its id (it holds more of its documents by then) and
 * the garden posts move on. Either is the change showing. The claims below hold at 10 of the
 * generator seeds 1-11, memory on and off (PLANTED_SEED=n runs another); at seed 11 memory on
 * fails them for a reason of its own (docs/design.md, "Topics that hold still").
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

type Composition = Map<number, Map<string, number>>;

async function run(memory: 'on' | 'off', seed = 7) {
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
  const rng = new Mulberry32(seed);
  const phase1 = interleave([{ subject: 'garden', texts: posts(rng, 'garden', 200) }, { subject: 'baking', texts: posts(rng, 'baking', 200) }, { subject: 'space', texts: posts(rng, 'space', 200) }], rng);
  const phase2 = interleave([{ subject: 'pests', texts: posts(rng, 'pests', 150) }, { subject: 'baking', texts: posts(rng, 'baking', 50) }, { subject: 'space', texts: posts(rng, 'space', 50) }, { subject: 'crypto', texts: posts(rng, 'crypto', 150) }], rng);
  const embedder = await createEmbedderFromConfig(config);
  const refitter = new WorkerRefitter(config);
  const sink = new MemorySink();
  const p = new StreamProcessor({ config, embedder, sink, refitter, log: pino({ level: 'silent' }) });
  const posted = new SubjectFeed();
  try {
    await posted.feed(p, phase1);
    const before = composition(p, posted.subjectOf);
    const eventsBefore = sink.values('events').length;
    await posted.feed(p, phase2);
    const events = sink.values<{ type: string; topic_id: number; related: number[] }>('events').slice(eventsBefore);
    return { before, after: composition(p, posted.subjectOf), events };
  } finally {
    await p.close();
    await refitter.close();
    await embedder.close();
  }
}

/** topic → subject → posts in the window (outliers left out) */
function composition(p: StreamProcessor, subjectOf: Map<string, string>): Composition {
  const out: Composition = new Map();
  for (const d of p.window.view().docs) {
    if (d.topic < 0) continue;
    const bySubject = out.get(d.topic) ?? new Map<string, number>();
    const s = subjectOf.get(d.id)!;
    bySubject.set(s, (bySubject.get(s) ?? 0) + 1);
    out.set(d.topic, bySubject);
  }
  return out;
}

/** Topics where one subject has the majority of the posts. */
function topicsOf(c: Composition, subject: string): number[] {
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return [...c].filter(([, m]) => (m.get(subject) ?? 0) > 0.5 * total(m)).map(([t]) => t);
}

function postsIn(c: Composition, subject: string, topics: number[]): number {
  return topics.reduce((s, t) => s + (c.get(t)?.get(subject) ?? 0), 0);
}

/** The topic holding the most of a subject's posts. */
function largest(c: Composition, subject: string, topics: number[]): number {
  return topics.reduce((best, t) => (postsIn(c, subject, [t]) > postsIn(c, subject, [best]) ? t : best));
}

const seed = Number(process.env.PLANTED_SEED ?? 7);
for (const memory of ['on', 'off'] as const) {
  test(`memory ${memory}: a subject that changes vocabulary gets topics of its own, descended from its parent; a new subject is born`, async () => {
    const { before, after, events } = await run(memory, seed);
    const summary = events.map((e) => `${e.type} ${e.topic_id} ← ${e.related.join(',')}`).join('; ');
    const gardenBefore = topicsOf(before, 'garden');
    assert.ok(postsIn(before, 'garden', gardenBefore) >= 100, 'the garden posts formed topics');
    // the change shows: most pest posts sit in topics of pest posts, not held in the garden topics
    const pests = topicsOf(after, 'pests');
    assert.ok(postsIn(after, 'pests', pests) >= 0.75 * 150, `${postsIn(after, 'pests', pests)} of 150 pest posts in topics of their own (${pests.join(', ')})`);
    assert.ok(postsIn(after, 'garden', pests) <= 20, `${postsIn(after, 'garden', pests)} of 200 garden posts in the pest topics`);
    // descended from garden: the main pest topic was a garden topic, or split off one
    const mainPests = largest(after, 'pests', pests);
    const descended = gardenBefore.includes(mainPests) || events.some((e) => e.type === 'split' && e.topic_id === mainPests && gardenBefore.includes(e.related[0]!));
    assert.ok(descended, `pest topic ${mainPests} kept a garden topic's id (${gardenBefore.join(', ')}) or split off one: ${summary}`);
    // the garden posts still have topics of their own
    assert.ok(postsIn(after, 'garden', topicsOf(after, 'garden')) >= 100, 'the garden posts still form topics');
    // the new subject: born
    const crypto = topicsOf(after, 'crypto');
    assert.ok(postsIn(after, 'crypto', crypto) >= 0.75 * 150, `${postsIn(after, 'crypto', crypto)} of 150 crypto posts in topics of their own`);
    const mainCrypto = largest(after, 'crypto', crypto);
    assert.ok(events.some((e) => e.type === 'born' && e.topic_id === mainCrypto), `the crypto topic ${mainCrypto} was born: ${summary}`);
  });
}
