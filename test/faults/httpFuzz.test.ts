// Fault: hostile HTTP traffic against a real service process on the real broker, while posts are
// being produced to it. Each round produces 100 posts, then fuzzes the HTTP port until the
// assigned count has risen (bounded in iterations and time): malformed targets (`//`, `/%zz`, ...)
// and 64 KB request lines over raw sockets (fetch would normalise them), unknown and disallowed
// methods, 1 MB request bodies, and 500 concurrent /api/search requests. Asserted: the process
// stays up and answers every one of them (4xx, 429 with Retry-After for searches beyond the
// limit), ingestion goes on meanwhile, every good post is assigned in the end, and the service is
// healthy, ready and searchable afterwards. Traffic goes to 127.0.0.1 only.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { SHARED_DATA } from '../helpers/paths.js';
import { createTopic, ensureKafka, kafkaClient, uniqueName } from '../helpers/kafka.js';
import { buildRequest, rawRequest, type RawAnswer } from '../helpers/rawHttp.js';
import { firstLines, httpPortOf, serviceConfig, startCli, stopAllServices, uniqueStreamTopics, writeJson, type ServiceProcess } from '../helpers/service.js';
import { httpGet, keysOf, metric, waitFor } from './faultKit.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const FIRST_POSTS = 200;
const ROUNDS = 6;
const POSTS_PER_ROUND = 100;
/** Upper bounds only (the shared machine may be slow); nothing is asserted about speed. */
const ITERATIONS_PER_ROUND = 30;
const ROUND_MAX_MS = 3 * 60_000;
const START_MAX_MS = 5 * 60_000;
const ALL_ASSIGNED_MAX_MS = 10 * 60_000;
const SEARCH_BURST = 500;
const MB = Buffer.alloc(1_000_000, 0x61);
const KB64 = 64 * 1024;
const dirs: string[] = [];

after(async () => {
  await stopAllServices();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** One raw exchange and the answers it may get; `reset` also accepts a connection cut after an early answer. */
interface RawCase {
  name: string;
  request: Buffer[];
  expect: number[];
  reset?: boolean;
}

function rawCases(): RawCase[] {
  const get = (target: string, expect: number[], reset = false): RawCase => ({ name: `GET ${target.slice(0, 40)}`, request: buildRequest({ target }), expect, reset });
  const method = (m: string, target: string, expect: number[], reset = false): RawCase => ({ name: `${m} ${target}`, request: buildRequest({ method: m, target }), expect, reset });
  // the server answers a refused body at once and closes: the client may still be writing and lose the answer
  const body = (m: string, target: string, expect: number[]): RawCase => ({ name: `${m} ${target} with 1 MB`, request: buildRequest({ method: m, target, body: MB }), expect, reset: true });
  return [
    get('//', [404]),
    get('/%zz', [404]),
    get('//healthz', [404]),
    get('/%', [404]),
    get('/api/topics/%zz', [404]),
    get('/api/topics/99999999999999999999999', [404]),
    get('/api/events?limit=%zz', [400]),
    get('/api/topics?all=%zz', [400]),
    get('/api/topics/%zz/history', [404]),
    get('/api/over-time', [200]),
    get('/api/search?q=%zz%', [200, 429, 503]),
    get('http://example.invalid/healthz', [200]),
    get('*', [400]),
    get('/' + 'a'.repeat(KB64), [431], true),
    get('/api/search?q=' + 'b'.repeat(KB64), [431], true),
    get('//' + '%zz'.repeat(KB64 / 3), [431], true),
    method('DELETE', '/api/topics', [405]),
    method('PUT', '/', [405]),
    method('OPTIONS', '*', [405]),
    method('PROPFIND', '/metrics', [405]),
    method('FOO', '/', [400], true),
    body('POST', '/api/search', [405]),
    body('GET', '/api/topics', [413]),
    body('PATCH', '/', [405]),
  ];
}

function judge(c: RawCase, a: RawAnswer): string | undefined {
  if (a.timedOut) return `${c.name}: no answer within the bound`;
  if (a.status !== undefined && c.expect.includes(a.status)) return undefined;
  if (a.status === undefined && c.reset && (a.error === 'ECONNRESET' || a.error === 'EPIPE')) return undefined;
  return `${c.name}: expected ${c.expect.join('|')}, got ${a.status ?? 'no status'} (${a.error ?? 'no error'}) ${a.body.slice(0, 120)}`;
}

interface Tally {
  raw: number;
  searches: Map<string, number>;
}

async function fuzzRaw(port: number, tally: Tally): Promise<string[]> {
  const cases = rawCases();
  const answers = await Promise.all(cases.map((c) => rawRequest(port, c.request, { timeoutMs: 60_000 })));
  tally.raw += cases.length;
  return cases.map((c, i) => judge(c, answers[i]!)).filter((x): x is string => x !== undefined);
}

async function searchBurst(port: number, round: number, tally: Tally): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    Array.from({ length: SEARCH_BURST }, async (_, i) => {
      let key: string;
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(`tax cuts and jobs ${round} ${i}`)}`, { signal: AbortSignal.timeout(120_000) });
        await r.arrayBuffer();
        key = String(r.status);
        if (r.status === 429 && r.headers.get('retry-after') === null) problems.push('a 429 without Retry-After');
      } catch (e) {
        key = `error ${(e as Error).name}`;
      }
      tally.searches.set(key, (tally.searches.get(key) ?? 0) + 1);
      if (!['200', '429', '503'].includes(key)) problems.push(`search answered ${key}`);
    }),
  );
  return problems;
}

async function assignedTotal(port: number): Promise<number> {
  const r = await httpGet(port, '/metrics');
  if (r.status !== 200) throw new Error(`/metrics: HTTP ${r.status}`);
  return metric(r.text, 'topicstream_documents_assigned_total');
}

/** Fuzzes until the assigned count rises above `before` (bounded); returns the count and the iterations used. */
async function fuzzUntilProgress(svc: ServiceProcess, port: number, round: number, before: number, tally: Tally): Promise<{ after: number; iterations: number }> {
  const deadline = Date.now() + ROUND_MAX_MS;
  let after = before;
  let iterations = 0;
  while (after <= before && iterations < ITERATIONS_PER_ROUND && Date.now() < deadline) {
    const problems = (await Promise.all([fuzzRaw(port, tally), searchBurst(port, round, tally)])).flat();
    iterations++;
    assert.ok(svc.running(), `the service exited during round ${round}\n${svc.tail()}`);
    assert.deepEqual(problems, [], `round ${round}, iteration ${iterations}`);
    assert.equal((await httpGet(port, '/healthz')).status, 200, `healthy after round ${round}, iteration ${iterations}`);
    after = await assignedTotal(port);
  }
  return { after, iterations };
}

test('HTTP fuzz during ingestion: malformed targets, 64 KB lines, bad methods, 1 MB bodies, 500 concurrent searches', async () => {
  const { brokers } = await ensureKafka();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-fault-http-'));
  dirs.push(dir);
  const topics = uniqueStreamTopics('fault-http');
  await createTopic(brokers, { name: topics.posts, partitions: 3 });
  const config = writeJson(path.join(dir, 'config.json'), serviceConfig({ brokers, topics, groupId: uniqueName('fault-http'), stateDir: path.join(dir, 'state'), overrides: { http: { searchConcurrency: 2, searchQueue: 8 } } }));
  const svc = startCli(['run', '--config', config], { name: 'topicstream run (fault-http)' });
  await svc.waitForLog((l) => l.msg === 'joined consumer group', START_MAX_MS, 'joining the consumer group');
  const port = await httpPortOf(svc);

  const posts: Message[] = (await firstLines(TWEETS, FIRST_POSTS + ROUNDS * POSTS_PER_ROUND)).map((bytes) => ({ key: (JSON.parse(bytes.toString('utf8')) as { id: string }).id, value: bytes }));
  const producer = kafkaClient(brokers, 'fault-http-producer').producer();
  await producer.connect();
  const tally: Tally = { raw: 0, searches: new Map() };
  const rounds: Array<{ round: number; before: number; after: number; iterations: number }> = [];
  try {
    await producer.send({ topic: topics.posts, acks: -1, messages: posts.slice(0, FIRST_POSTS) });
    await waitFor(async () => (await assignedTotal(port)) > 0, START_MAX_MS, () => `the first assignment\n${svc.tail()}`);
    for (let round = 0; round < ROUNDS; round++) {
      const from = FIRST_POSTS + round * POSTS_PER_ROUND;
      await producer.send({ topic: topics.posts, acks: -1, messages: posts.slice(from, from + POSTS_PER_ROUND) });
      const before = await assignedTotal(port);
      const r = await fuzzUntilProgress(svc, port, round, before, tally);
      rounds.push({ round, before, ...r });
      assert.ok(r.after > before, `round ${round}: the assigned count stayed at ${before} through ${r.iterations} fuzz iterations\n${svc.tail()}`);
    }
  } finally {
    await producer.disconnect();
    process.stderr.write(`httpFuzz: rounds ${JSON.stringify(rounds)}; raw exchanges ${tally.raw}; searches ${JSON.stringify([...tally.searches])}\n`);
  }

  assert.ok((tally.searches.get('429') ?? 0) > 0, 'searches beyond the limit were refused with 429');
  const ids = posts.map((m) => String(m.key));
  let missing = ids.length;
  await waitFor(
    async () => {
      const got = await keysOf(brokers, topics.assignments);
      missing = ids.filter((id) => !got.has(id)).length;
      return missing === 0;
    },
    ALL_ASSIGNED_MAX_MS,
    () => `all ${ids.length} posts assigned (${missing} missing)\n${svc.tail()}`,
  );
  assert.ok(svc.running(), `the service is still running\n${svc.tail()}`);
  assert.equal((await httpGet(port, '/healthz')).status, 200);
  await waitFor(async () => (await httpGet(port, '/readyz')).status === 200, 60_000, () => `/readyz 200\n${svc.tail()}`);
  // with the input drained, a search gets its answer
  await waitFor(async () => (await httpGet(port, '/api/search?q=border+wall')).status === 200, 60_000, () => 'a search answered 200 once idle');
  assert.deepEqual(svc.logsWith('HTTP handler failed'), [], 'no handler error');
  assert.deepEqual(
    svc.stderrText.filter((l) => /Invalid URL|Napi::Error|Uncaught/i.test(l)),
    [],
    'no crash trace',
  );
});
