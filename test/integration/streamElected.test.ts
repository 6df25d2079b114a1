/**
 * Scale-out over the whole stream (role elected, docs/scaling.md) against the real broker with the
 * real model: three instances in one group on a 6-partition input where each partition carries its
 * own subject (keyed by source). Every topic a batch `fit` of the whole input finds with at least 30
 * documents has a counterpart (Jaccard >= 0.5) in the owner's model, though each instance consumed
 * only some partitions; every assignment names a topic of the model it was made with; killing the
 * owner hands the refits to another member, with increasing versions and no topic id reused.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Mulberry32 } from '../../src/core/random.js';
import { readAssignments } from '../../src/model/outputs.js';
import { createTopic, deleteTopics, ensureKafka, kafkaClient, uniqueName } from '../helpers/kafka.js';
import { serviceConfig, startCli, stopAllServices, TopicFollower, uniqueStreamTopics, writeJson, type ServiceProcess } from '../helpers/service.js';
import type { AssignmentPayload } from '../helpers/streamOutputs.js';
import { posts, type SUBJECTS } from '../helpers/subjectPosts.js';

const WAIT_MS = 10 * 60_000;
/** one subject per input partition */
const SOURCES: Array<keyof typeof SUBJECTS> = ['garden', 'baking', 'space', 'crypto', 'football', 'music'];
const PER_SOURCE = 120;
const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await stopAllServices();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Post {
  id: string;
  text: string;
  source: number;
}

interface ModelPayload {
  model_version: number;
  topics: Array<{ id: number }>;
}

test('three elected instances: one model of the whole stream, every assignment in its model, the owner killed and replaced', { timeout: 3 * WAIT_MS }, async (t) => {
  const { brokers } = await ensureKafka();
  const topics = uniqueStreamTopics('stream-elected');
  cleanups.push(() => deleteTopics(brokers, Object.values(topics)));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-elected-'));
  dirs.push(dir);
  await createTopic(brokers, { name: topics.posts, partitions: SOURCES.length });
  await createTopic(brokers, { name: topics.embeddings, partitions: 3 });
  await createTopic(brokers, { name: topics.coordination, partitions: 1 });
  const groupId = uniqueName('elected-group');
  const overrides = {
    embedding: { workers: 1 },
    hdbscan: { minClusterSize: 15 },
    stream: { role: 'elected', refit: { everyDocs: 300, minDocs: 100, everySeconds: 4 }, scaleOut: { sessionTimeoutSeconds: 6 } },
  };
  const cfg = (name: string) => writeJson(path.join(dir, `${name}.json`), serviceConfig({ brokers, topics, groupId, stateDir: path.join(dir, `state-${name}`), overrides }));
  const names = ['a', 'b', 'c'];
  const members = new Map<string, ServiceProcess>(names.map((n) => [n, startCli(['run', '--config', cfg(n), '--quiet'], { name: `topicstream run --elected (${n})` })]));
  for (const m of members.values()) await m.waitForLog((l) => l.msg === 'joined consumer group' && l.feed === undefined, 5 * 60_000, `${m.name} joining the input group`);
  const owners = () => [...members].filter(([, m]) => m.running() && m.logsWith('elected refit owner').length > m.logsWith('following the refit owner').length).map(([n]) => n);
  await waitFor(() => owners().length === 1, 60_000, () => `one owner elected (${owners().join(',') || 'none'})`);

  const outputs = await TopicFollower.start(brokers, [topics.assignments, topics.models]);
  cleanups.push(() => outputs.stop());
  const rng = new Mulberry32(5);
  const phase1: Post[] = SOURCES.flatMap((s, source) => posts(rng, s, PER_SOURCE).map((text, i) => ({ id: `${s}-${i}`, text, source })));
  await produce(brokers, topics.posts, shuffle(phase1, rng));
  const assignedIds = () => new Set(outputs.values<AssignmentPayload>(topics.assignments).map((a) => a.doc_id));
  await outputs.waitUntil(() => phase1.every((p) => assignedIds().has(p.id)), WAIT_MS, () => `every post assigned (${assignedIds().size} of ${phase1.length})`);
  const consumedBy = [...members.values()].map((m) => m.logsWith('joined consumer group').filter((l) => l.feed === undefined).length);
  t.diagnostic(`members joined: ${consumedBy.join(',')}`);

  // the owner's refit of the whole window: a refit that started with every post in it, applied
  // (ownership may have moved while the members joined the election: the owner is the one that refits now)
  const fullRefit = (m: ServiceProcess) => m.logsWith('refit started').some((l) => (l.windowDocs as number) >= phase1.length);
  await waitFor(() => [...members.values()].some(fullRefit), WAIT_MS, () => `a refit of the whole window by the owner (${owners().join(',')})`);
  const firstOwner = [...members].find(([, m]) => fullRefit(m))![0];
  t.diagnostic(`owner: ${firstOwner}`);
  for (const [n, m] of members) t.diagnostic(`${n}: ${m.logs.filter((l) => /^(elected|following|refit applied|refit started|adopted)/.test(l.msg)).map((l) => `${l.msg.split(' ')[0]} ${String(l.version ?? l.windowDocs ?? '')}`).join('; ')}`);
  assert.deepEqual(owners(), [firstOwner]);
  const owner = members.get(firstOwner)!;
  const fullVersion = await refitOfAll(owner, phase1.length);
  await outputs.waitUntil(() => outputs.values<ModelPayload>(topics.models).some((m) => m.model_version >= fullVersion), WAIT_MS, () => `model v${fullVersion} published`);
  // the refit's reassignments were durable before it was applied, but reach this consumer in any order with the model: read them all
  await outputs.readToEnd(brokers, WAIT_MS);
  // latest topic per post after that refit: the refit republished the posts it moved
  const latest = latestTopics(outputs.values<AssignmentPayload>(topics.assignments));

  // the batch fit of the whole input, same settings
  const input = path.join(dir, 'input.jsonl');
  writeFileSync(input, phase1.map((p) => JSON.stringify({ id: p.id, text: p.text })).join('\n') + '\n');
  const fitOut = path.join(dir, 'fit');
  const fit = startCli(['fit', input, '--out', fitOut, '--config', writeJson(path.join(dir, 'fit.json'), { embedding: { workers: 1 }, hdbscan: { minClusterSize: 15 } })], { name: 'topicstream fit' });
  assert.deepEqual(await fit.exited, { code: 0, signal: null }, fit.tail());
  const fitTopics = groupBy(readAssignments(fitOut).map((a) => [a.id, a.topic] as const));
  const ownerTopics = groupBy([...latest].map(([id, a]) => [id, a.topic_id] as const));
  const big = [...fitTopics].filter(([id, docs]) => id >= 0 && docs.size >= 30);
  assert.ok(big.length >= SOURCES.length, `the fit found a topic of >= 30 posts per source (${big.length})`);
  for (const [id, docs] of big) {
    const best = Math.max(...[...ownerTopics].filter(([o]) => o >= 0).map(([, o]) => jaccard(docs, o)));
    const sources = new Set([...docs].map((d) => d.split('-')[0]));
    assert.ok(best >= 0.5, `fit topic ${id} (${docs.size} posts of ${[...sources].join(', ')}) has a counterpart in the owner's model: best Jaccard ${best.toFixed(2)}`);
  }
  const versionBeforeKill = Math.max(...outputs.values<ModelPayload>(topics.models).map((m) => m.model_version));

  // the owner dies; another member takes the refits over
  owner.kill('SIGKILL');
  const killedAt = Date.now();
  await owner.exited;
  members.delete(firstOwner);
  await waitFor(() => owners().length === 1, 2 * 60_000, () => `another owner elected after the kill (${owners().join(',') || 'none'})`);
  t.diagnostic(`new owner ${owners()[0]} ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
  const secondOwner = members.get(owners()[0]!)!;
  const phase2: Post[] = posts(rng, 'cars', 150).map((text, i) => ({ id: `cars-${i}`, text, source: 0 }));
  await produce(brokers, topics.posts, phase2);
  await outputs.waitUntil(() => phase2.every((p) => assignedIds().has(p.id)), WAIT_MS, () => `every new post assigned (${[...assignedIds()].filter((x) => x.startsWith('cars')).length} of ${phase2.length})`);
  const lastVersion = await refitOfAll(secondOwner, phase1.length + phase2.length);
  assert.ok(lastVersion > versionBeforeKill);
  await outputs.waitUntil(() => outputs.values<ModelPayload>(topics.models).some((m) => m.model_version >= lastVersion), WAIT_MS, () => `model v${lastVersion} published`);
  await outputs.readToEnd(brokers, WAIT_MS);

  // versions only grow; a topic id that appears after the kill is either one that went on or new (above every id before)
  const models = outputs.values<ModelPayload>(topics.models);
  for (let i = 1; i < models.length; i++) assert.ok(models[i]!.model_version > models[i - 1]!.model_version, `model versions increase: ${models.map((m) => m.model_version).join(',')}`);
  const before = models.filter((m) => m.model_version <= versionBeforeKill);
  const after = models.filter((m) => m.model_version > versionBeforeKill);
  const everBefore = new Set(before.flatMap((m) => m.topics.map((x) => x.id)));
  const lastBefore = new Set(before.at(-1)!.topics.map((x) => x.id));
  const maxBefore = Math.max(...everBefore);
  for (const m of after) for (const { id } of m.topics) assert.ok(lastBefore.has(id) || id > maxBefore, `v${m.model_version}: topic ${id} neither went on nor is new (ids before: up to ${maxBefore})`);
  const carsTopics = groupBy([...latestTopics(outputs.values<AssignmentPayload>(topics.assignments))].filter(([id]) => id.startsWith('cars')).map(([id, a]) => [id, a.topic_id] as const));
  const refits = secondOwner.logs.filter((l) => l.msg === 'refit applied' || l.msg === 'refit started').map((l) => JSON.stringify(l)).join('\n');
  assert.ok([...carsTopics.keys()].some((id) => id > maxBefore), `the new subject got a new topic id (${[...carsTopics.keys()].join(',')}); the new owner's refits:\n${refits}`);

  // every assignment names a topic of the model it was made with
  const topicsOf = new Map(models.map((m) => [m.model_version, new Set(m.topics.map((x) => x.id))]));
  const foreign = outputs.values<AssignmentPayload>(topics.assignments).filter((a) => a.model_version >= 1 && a.topic_id >= 0 && topicsOf.has(a.model_version) && !topicsOf.get(a.model_version)!.has(a.topic_id));
  assert.deepEqual(foreign.slice(0, 5), [], `${foreign.length} assignments name a topic outside their model`);

  for (const m of members.values()) assert.deepEqual(await m.stop(60_000), { code: 0, signal: null }, m.tail());
});

/** The version of the first refit that started with at least `docs` documents in the window, once applied. */
async function refitOfAll(m: ServiceProcess, docs: number): Promise<number> {
  const started = await m.waitForLog((l) => l.msg === 'refit started' && (l.windowDocs as number) >= docs, WAIT_MS, `a refit of ${docs} documents`);
  await m.waitForLog((l) => l.msg === 'refit applied' && l.version === started.version, WAIT_MS, `refit v${String(started.version)} applied`);
  return started.version as number;
}

async function produce(brokers: string[], topic: string, list: Post[]): Promise<void> {
  const producer = kafkaClient(brokers).producer();
  await producer.connect();
  try {
    for (let i = 0; i < list.length; i += 100) {
      await producer.send({ topic, messages: list.slice(i, i + 100).map((p) => ({ key: `source-${p.source}`, partition: p.source, value: JSON.stringify({ id: p.id, text: p.text }) })) });
    }
  } finally {
    await producer.disconnect();
  }
}

function shuffle<T>(list: T[], rng: Mulberry32): T[] {
  return list.map((x) => ({ x, k: rng.next() })).sort((a, b) => a.k - b.k).map(({ x }) => x);
}

/** Each post's assignment from the newest model version (the latest message among equals). */
function latestTopics(all: AssignmentPayload[]): Map<string, AssignmentPayload> {
  const out = new Map<string, AssignmentPayload>();
  for (const a of all) {
    const cur = out.get(a.doc_id);
    if (!cur || a.model_version >= cur.model_version) out.set(a.doc_id, a);
  }
  return out;
}

function groupBy(pairs: ReadonlyArray<readonly [string, number]>): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const [id, topic] of pairs) {
    let s = out.get(topic);
    if (!s) out.set(topic, (s = new Set()));
    s.add(id);
  }
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

async function waitFor(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
