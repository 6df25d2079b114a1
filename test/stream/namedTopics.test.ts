/**
 * Zero-shot and seed topics in the service (src/stream/refit/namedTopics.ts): real posts through the
 * processor with the real embedding model and refit worker. Each name keeps one topic id, labelled
 * with the name, through every refit and after a restart from a snapshot; a name that first matches
 * posts later is born with its name; the named topics hold the posts closest to their name.
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

const SPACE = 'astronomy and telescopes';
const CRYPTO = 'cryptocurrency markets';

test('named topics keep their names and ids across refits and a restart; seed topics run with them', async () => {
  const config = loadConfig({
    env: {},
    flags: {
      embedding: { workers: 1 },
      hdbscan: { minClusterSize: 15 },
      stream: { window: { maxDocs: 2000 }, refit: { everyDocs: 200, minDocs: 100, everySeconds: 0 } },
      // similarities of these posts with the names (all-MiniLM-L6-v2): space 0.4-0.55, crypto 0.2-0.5, the others < 0.15
      topics: { zeroShot: { names: [SPACE, CRYPTO], minSimilarity: 0.35 }, seedTopics: [['oven', 'dough', 'baked']] },
    },
  });
  const rng = new Mulberry32(11);
  const phase1 = interleave([{ subject: 'garden', texts: posts(rng, 'garden', 200) }, { subject: 'baking', texts: posts(rng, 'baking', 200) }, { subject: 'space', texts: posts(rng, 'space', 200) }], rng);
  const phase2 = interleave([{ subject: 'crypto', texts: posts(rng, 'crypto', 200) }, { subject: 'baking', texts: posts(rng, 'baking', 50) }, { subject: 'space', texts: posts(rng, 'space', 50) }], rng);
  const phase3 = interleave([{ subject: 'space', texts: posts(rng, 'space', 100) }, { subject: 'crypto', texts: posts(rng, 'crypto', 100) }, { subject: 'garden', texts: posts(rng, 'garden', 100) }], rng);
  const embedder = await createEmbedderFromConfig(config);
  const refitter = new WorkerRefitter(config);
  const sink = new MemorySink();
  const log = pino({ level: 'silent' });
  const posted = new SubjectFeed();
  const subjectOf = posted.subjectOf;
  const named = (p: StreamProcessor, name: string) => p.registry.all().filter((t) => t.name === name);
  const p = new StreamProcessor({ config, embedder, sink, refitter, log });
  let q: StreamProcessor | undefined;
  try {
    await posted.feed(p, phase1);
    const [space] = named(p, SPACE);
    assert.ok(space, 'the space posts matched their name');
    assert.equal(space.label, SPACE);
    assert.equal(space.status, 'active');
    assert.equal(named(p, CRYPTO).length, 0, 'no crypto posts yet: no crypto topic');
    const spaceShare = share(p, subjectOf, 'space', space.id);
    assert.ok(spaceShare >= 0.5, `most space posts are in the named topic (${spaceShare})`);
    const baking = p.registry.active().filter((t) => t.name === undefined && share(p, subjectOf, 'baking', t.id) > 0);
    assert.ok(baking.length > 0 && baking.reduce((sum, t) => sum + share(p, subjectOf, 'baking', t.id), 0) >= 0.5, 'the baking posts (seeded) are clustered');
    assert.ok(baking.some((t) => t.words.slice(0, 5).some((w) => ['oven', 'dough', 'baked'].includes(w.word))), 'a seed word among the baking topics\' top words');

    await posted.feed(p, phase2);
    const [crypto] = named(p, CRYPTO);
    assert.ok(crypto && crypto.status === 'active' && crypto.label === CRYPTO, 'the crypto name has a topic once its posts came');
    assert.deepEqual(named(p, SPACE).map((t) => t.id), [space.id], 'the space name kept its id');
    const born = sink.values<{ type: string; topic_id: number; label: string }>('events').filter((e) => e.type === 'born' && e.topic_id === crypto.id);
    assert.equal(born.length, 1, 'the crypto topic was born once');
    assert.equal(born[0]!.label, CRYPTO);

    // every refit published the names under the same ids
    const updates = sink.values<{ topic_id: number; label: string; model_version: number }>('updates');
    const versions = new Set(updates.map((u) => u.model_version));
    assert.ok(versions.size >= 4, `several refits (${[...versions].join(',')})`);
    for (const u of updates) {
      if (u.label === SPACE) assert.equal(u.topic_id, space.id, `version ${u.model_version}: ${SPACE} under another id`);
      if (u.label === CRYPTO) assert.equal(u.topic_id, crypto.id, `version ${u.model_version}: ${CRYPTO} under another id`);
    }

    // a restart from the snapshot: the names keep their ids, new posts go to them
    const snap = structuredClone(p.snapshot());
    await p.close();
    q = new StreamProcessor({ config, embedder, sink, refitter, log });
    q.restore(snap);
    const versionBefore = q.modelVersion;
    await posted.feed(q, phase3);
    assert.ok(q.modelVersion > versionBefore, 'refits after the restart');
    assert.deepEqual(named(q, SPACE).map((t) => [t.id, t.status, t.label]), [[space.id, 'active', SPACE]]);
    assert.deepEqual(named(q, CRYPTO).map((t) => [t.id, t.status, t.label]), [[crypto.id, 'active', CRYPTO]]);
    assert.ok(share(q, subjectOf, 'space', space.id) >= 0.5 && share(q, subjectOf, 'crypto', crypto.id) >= 0.3, 'the named topics hold their posts');
  } finally {
    await p.close();
    await q?.close();
    await refitter.close();
    await embedder.close();
  }
});

/** The share of a subject's window posts in a topic. */
function share(p: StreamProcessor, subjectOf: Map<string, string>, subject: string, topic: number): number {
  let n = 0;
  let inTopic = 0;
  for (const d of p.window.view().docs) {
    if (subjectOf.get(d.id) !== subject) continue;
    n++;
    if (d.topic === topic) inTopic++;
  }
  return n ? inTopic / n : 0;
}
