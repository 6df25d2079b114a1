// Emerging topics end to end through the real broker and the real model (issue 14): the first
// 2,400 tweets in `ts` order on a one-partition posts topic (so the service reads them in that
// order), with a burst of 300 rec.sport.hockey posts (20 Newsgroups bodies cut to a tweet's length,
// a subject absent from the tweets) injected after tweet 1,100 (sent once the first refit, at
// document 1,000, is applied: the topics the burst is new to), one after every second tweet. An
// `emerging` event whose words name the subject (at least 2 of its first 4 are burst words: in >= 3
// burst posts at >= 5x their rate in the tweets) must arrive within 200 documents of the burst's
// 50th post and before the next refit by documents (refits every 1,000). The same replay without
// the burst, on a second service and continued to 10,000 tweets, must give at most 1 strong-signal
// event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { SHARED_DATA } from '../helpers/paths.js';
import { createTopic, deleteTopics, ensureKafka, kafkaClient, uniqueName } from '../helpers/kafka.js';
import { firstLines, startCli, stopAllServices, TopicFollower, uniqueStreamTopics, writeServiceConfig, type StreamTopics } from '../helpers/service.js';
import { burstPosts, namesSubject } from '../helpers/burstPosts.js';
import type { TrendEvent } from '../../src/stream/messages.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const N_TWEETS = 2400;
/** the replay without the burst: as many tweets as the false-alarm rate is stated for */
const N_QUIET = 10_000;
const GROUP = 'rec.sport.hockey';
const BURST = 300;
const BURST_AT = 1100;
const GAP = 2;
const REFIT_EVERY = 1000;
const WAIT_MS = 20 * 60_000;

interface Replay {
  order: string[];
  events: TrendEvent[];
  topics: StreamTopics;
  dir: string;
}

const replays: Replay[] = [];
let brokers: string[] = [];

/** Runs a service over the messages (one partition, in order) until every id is assigned; returns its emerging/fading events. */
async function replay(name: string, messages: Message[]): Promise<Replay> {
  const topics = uniqueStreamTopics(name);
  const dir = mkdtempSync(path.join(os.tmpdir(), `topicstream-${name}-`));
  const r: Replay = { order: messages.map((m) => String(m.key)), events: [], topics, dir };
  replays.push(r);
  await createTopic(brokers, { name: topics.posts, partitions: 1 });
  const config = writeServiceConfig(dir, { brokers, topics, group: name, overrides: { stream: { window: { maxDocs: 2000 }, refit: { everyDocs: REFIT_EVERY, everySeconds: 0 } } } });
  const svc = startCli(['run', '--config', config], { name: `topicstream run (${name})` });
  await svc.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'the service joining its consumer group');
  const follower = await TopicFollower.start(brokers, [topics.assignments, topics.events]);
  try {
    const producer = kafkaClient(brokers, `${name}-producer`).producer();
    await producer.connect();
    // the first BURST_AT tweets, then (once the first refit is applied: the topics the burst is new to) the rest
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100) await producer.send({ topic: topics.posts, acks: -1, messages: messages.slice(i, Math.min(to, i + 100)) });
    };
    await send(0, BURST_AT);
    await svc.waitForLog((l) => l.msg === 'refit applied', WAIT_MS, 'the first refit');
    await send(BURST_AT, messages.length);
    await producer.disconnect();
    const ids = new Set(r.order);
    const assigned = new Set<string>();
    await follower.waitUntil(
      () => {
        for (const m of follower.messages(topics.assignments)) assigned.add(m.key!);
        return assigned.size >= ids.size;
      },
      WAIT_MS,
      () => `all ${ids.size} ids assigned (${assigned.size} so far)\n${svc.tail()}`,
      () => (svc.running() ? undefined : `the service exited\n${svc.tail()}`),
    );
    // the last batch's events are sent after its assignments: stop the service (it exits once its
    // outputs are durable), then read the events to their end
    const exit = await svc.stop(120_000);
    assert.deepEqual(exit, { code: 0, signal: null }, svc.tail());
    await follower.readToEnd(brokers, WAIT_MS);
    r.events = follower.values<TrendEvent & { type: string }>(topics.events).filter((e) => e.type === 'emerging' || e.type === 'fading');
  } finally {
    await follower.stop().catch(() => undefined);
  }
  return r;
}

let withBurst: Replay | undefined;
let burstTexts: string[] = [];
let tweetTexts: string[] = [];
let withoutBurst: Replay | undefined;

before(async () => {
  ({ brokers } = await ensureKafka());
  const all: Message[] = (await firstLines(TWEETS, N_QUIET)).map((bytes) => ({ key: (JSON.parse(bytes.toString('utf8')) as { id: string }).id, value: bytes }));
  const tweets = all.slice(0, N_TWEETS);
  const posts = await burstPosts(GROUP, BURST, uniqueName('burst'));
  burstTexts = posts.map((p) => p.text);
  tweetTexts = tweets.map((t) => (JSON.parse(String(t.value)) as { text: string }).text);
  const burst: Message[] = posts.map((p) => ({ key: p.id, value: JSON.stringify(p) }));
  const mixed: Message[] = [];
  let k = 0;
  tweets.forEach((t, i) => {
    mixed.push(t);
    if (i >= BURST_AT && k < BURST && (i - BURST_AT) % GAP === GAP - 1) mixed.push(burst[k++]!);
  });
  assert.equal(k, BURST, 'the whole burst is in the replay');
  withBurst = await replay('emerging-burst', mixed);
  withoutBurst = await replay('emerging-quiet', all);
});

after(async () => {
  await stopAllServices();
  for (const r of replays) {
    await deleteTopics(brokers, Object.values(r.topics)).catch(() => undefined);
    rmSync(r.dir, { recursive: true, force: true });
  }
});

test('a burst on a new subject is reported emerging, named by its words, within 200 documents of its 50th post and before the next refit', () => {
  const r = withBurst!;
  const burstIndex = r.order.map((id, i) => (id.startsWith('burst') ? i : -1)).filter((i) => i >= 0);
  const fiftieth = burstIndex[49]!;
  const indexOf = new Map(r.order.map((id, i) => [id, i]));
  const named = r.events.filter((e) => e.type === 'emerging' && namesSubject(e.words, burstTexts, tweetTexts) && e.sample_docs.some((d) => d.id.startsWith('burst')));
  process.stderr.write(`emerging-kafka: burst events ${JSON.stringify(r.events.map((e) => ({ type: e.type, topic: e.topic_id, forming: e.forming_id, signal: e.signal, growth: e.growth, label: e.label, at: indexOf.get(e.last_doc_id ?? '') })))}\n`);
  assert.ok(named.length > 0, `an emerging event names the burst's subject (events: ${r.events.map((e) => `${e.type} ${e.label}`).join('; ')})`);
  const at = indexOf.get(named[0]!.last_doc_id ?? '')!;
  assert.ok(at !== undefined, 'the event names the newest document it saw');
  const nextScheduledRefit = Math.ceil((fiftieth + 1) / REFIT_EVERY) * REFIT_EVERY;
  assert.ok(at - fiftieth <= 200, `the first such event came ${at - fiftieth} documents after the burst's 50th post (${named[0]!.label})`);
  assert.ok(at < nextScheduledRefit, `before the refit due at document ${nextScheduledRefit} (event at ${at})`);
});

test('emerging and fading events carry the documented fields', () => {
  for (const e of [...withBurst!.events, ...withoutBurst!.events]) {
    assert.ok(Number.isInteger(e.topic_id) && e.topic_id >= -1, JSON.stringify(e));
    if (e.topic_id === -1) assert.ok(Number.isInteger(e.forming_id) && e.forming_id! > 0, 'a forming topic has its forming id');
    assert.ok(['weak', 'strong', 'fading'].includes(e.signal));
    assert.ok(typeof e.label === 'string' && e.label.length > 0 && Array.isArray(e.words));
    assert.ok(Number.isFinite(e.growth) && Number.isInteger(e.model_version) && !Number.isNaN(Date.parse(e.at)));
    assert.ok(Array.isArray(e.sample_docs) && e.sample_docs.every((d) => typeof d.id === 'string' && typeof d.text === 'string'));
  }
});

test('the same replay without the burst, on 10,000 tweets, gives at most 1 strong-signal event', () => {
  const strong = withoutBurst!.events.filter((e) => e.type === 'emerging' && e.signal === 'strong');
  const indexOf = new Map(withoutBurst!.order.map((id, i) => [id, i]));
  process.stderr.write(`emerging-kafka: without the burst ${withoutBurst!.events.length} events, ${strong.length} strong: ${JSON.stringify(withoutBurst!.events.map((e) => ({ type: e.type, signal: e.signal, topic: e.topic_id, forming: e.forming_id, growth: e.growth, size: e.size, popularity: e.popularity, label: e.label, at: indexOf.get(e.last_doc_id ?? '') })))}\n`);
  assert.ok(strong.length <= 1, `${strong.length} strong-signal events in ${N_QUIET} documents: ${strong.map((e) => e.label).join('; ')}`);
});
