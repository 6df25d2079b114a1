// Streaming throughput and assignment latency through the real broker, the service running as it
// runs in production (a child process, `topicstream run --config`, default window and refit settings).
//  0. embed-only: the same N tweets through the service's embedder alone (config defaults), in one
//     call per 1,000, as the rate the service could reach if Kafka, assignment and refits cost nothing;
//  1. saturation: N tweets (default 5,000) produced as fast as possible; throughput = N / (last
//     assignment's arrival − first produce); sustained = the rate between the 10th and 90th percentile
//     of arrivals (without start-up and tail);
//  2. paced: M more tweets (default 1,500) at a rate the service keeps up with (default 40% of the
//     measured throughput); latency = arrival of a document's first assignment at a consumer − the
//     input message's timestamp (set by the producer), p50/p90/p99; also up to the assignment's own
//     Kafka timestamp (when the service published it), which leaves out the consumer's fetch delay.
// Under saturation the latency is mostly queueing (documents wait for the ones before them), so it is
// reported, but the paced numbers are the service's latency.
//   node dist/bench/stream/throughput.js [--n 5000] [--paced 1500] [--rate R | --paced-share 0.4]
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Producer } from 'kafkajs';
import { createTopic, deleteTopics, ensureKafka, kafkaClient, uniqueName } from '../../test/helpers/kafka.js';
import { getJson, httpPortOf, serviceConfig, startCli, stopAllServices, TopicFollower, uniqueStreamTopics, writeJson, type FollowedMessage } from '../../test/helpers/service.js';
import { refitMarks } from '../../test/helpers/streamOutputs.js';
import { httpGet, metric } from '../../test/faults/faultKit.js';
import { readTweets } from './tweetEmbeddings.js';
import { loadConfig } from '../../src/config/load.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { machineInfo, percentile, saveResult } from './machine.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '5000' }, paced: { type: 'string', default: '1500' }, rate: { type: 'string' }, 'paced-share': { type: 'string', default: '0.4' } } });
const N = Number(values.n);
const M = Number(values.paced);
const machine = machineInfo();
const { brokers } = await ensureKafka();
const topics = uniqueStreamTopics('bench-stream');
const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-bench-stream-'));
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

const tweets = await readTweets(N + M);
// 0. embed-only: the service's embedder (config defaults, as the service below) on the same N tweets, side by side
const embedOnly = await embedOnlyRate(tweets.slice(0, N).map((t) => t.text));
log(`embed-only: ${JSON.stringify(embedOnly)}`);
await createTopic(brokers, { name: topics.posts, partitions: 3 });
// production defaults for the window and refits; only names, state and port are the bench's own
const config = writeJson(
  path.join(dir, 'config.json'),
  serviceConfig({
    brokers,
    topics,
    groupId: uniqueName('bench-stream'),
    stateDir: path.join(dir, 'state'),
    overrides: { stream: { window: { maxDocs: 10_000 }, refit: { everyDocs: 1000, minDocs: 200, everySeconds: 300 } }, state: { snapshotEverySeconds: 60 } },
  }),
);
const svc = startCli(['run', '--config', config, '--quiet'], { name: 'topicstream run (bench)' });
let follower: TopicFollower | undefined;
let producer: Producer | undefined;
try {
  await svc.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'the service joining its group');
  const port = await httpPortOf(svc);
  follower = await TopicFollower.start(brokers, [topics.assignments]);
  producer = kafkaClient(brokers, 'bench-producer').producer();
  await producer.connect();
  const producedAt = new Map<string, number>();
  const firstAssignment = new Map<string, FollowedMessage>();
  let scanned = 0;
  const scan = () => {
    const msgs = follower!.messages(topics.assignments);
    for (; scanned < msgs.length; scanned++) {
      const m = msgs[scanned]!;
      if (!firstAssignment.has(m.key!)) firstAssignment.set(m.key!, m);
    }
  };
  const produce = async (batch: Array<{ id: string; text: string }>) => {
    const now = Date.now();
    for (const t of batch) producedAt.set(t.id, now);
    await producer!.send({ topic: topics.posts, acks: -1, messages: batch.map((t) => ({ key: t.id, value: JSON.stringify(t), timestamp: String(now) })) });
  };
  const waitAll = async (ids: string[], what: string) => {
    await follower!.waitUntil(
      () => {
        scan();
        return ids.every((id) => firstAssignment.has(id));
      },
      60 * 60_000,
      () => `${what}: ${ids.filter((id) => firstAssignment.has(id)).length}/${ids.length}`,
      () => (svc.running() ? undefined : `the service exited\n${svc.tail()}`),
    );
  };
  const latencies = (ids: string[]) => {
    const toArrival = ids.map((id) => firstAssignment.get(id)!.receivedAt - producedAt.get(id)!).sort((a, b) => a - b);
    const toPublish = ids.map((id) => Number(firstAssignment.get(id)!.timestamp) - producedAt.get(id)!).sort((a, b) => a - b);
    const q = (xs: number[]) => ({ p50: percentile(xs, 50) / 1000, p90: percentile(xs, 90) / 1000, p99: percentile(xs, 99) / 1000, max: xs.at(-1)! / 1000 });
    return { toArrivalSeconds: q(toArrival), toPublishSeconds: q(toPublish) };
  };

  // 1. saturation
  const satTweets = tweets.slice(0, N);
  log(`saturation: producing ${N} tweets as fast as possible`);
  const t0 = Date.now();
  for (let i = 0; i < N; i += 500) await produce(satTweets.slice(i, i + 500));
  const producedIn = (Date.now() - t0) / 1000;
  log(`produced in ${producedIn.toFixed(1)} s; waiting for the assignments`);
  await waitAll(satTweets.map((t) => t.id), 'saturation');
  const arrivals = satTweets.map((t) => firstAssignment.get(t.id)!.receivedAt).sort((a, b) => a - b);
  const wall = (arrivals.at(-1)! - t0) / 1000;
  const a10 = percentile(arrivals, 10);
  const a90 = percentile(arrivals, 90);
  const saturation = {
    docs: N,
    producedInSeconds: producedIn,
    wallSeconds: wall,
    docsPerSecond: N / wall,
    sustainedDocsPerSecond: (0.8 * N) / ((a90 - a10) / 1000),
    latency: latencies(satTweets.map((t) => t.id)),
    refitsDuring: refitMarks(svc.logs).length,
    loadavg: os.loadavg(),
  };
  log(`saturation: ${JSON.stringify(saturation)}`);

  // 2. paced
  const rate = values.rate ? Number(values.rate) : Math.max(5, Math.round(Number(values['paced-share']) * saturation.sustainedDocsPerSecond));
  const pacedTweets = tweets.slice(N, N + M);
  log(`paced: ${M} tweets at ${rate}/s`);
  const refitsBefore = refitMarks(svc.logs).length;
  const batchesBefore = await batchCounters(port);
  const p0 = Date.now();
  const step = Math.max(1, Math.round(rate / 10)); // 10 sends a second
  for (let i = 0; i < M; i += step) {
    await produce(pacedTweets.slice(i, i + step));
    const due = p0 + ((i + step) / rate) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await waitAll(pacedTweets.map((t) => t.id), 'paced');
  const batchesAfter = await batchCounters(port);
  const batches = batchesAfter.count - batchesBefore.count;
  const paced = {
    docs: M,
    ratePerSecond: rate,
    // the processor's batches while paced (the embedder's calls): how many documents each held, how long its embedding took
    batches: { count: batches, meanDocs: (batchesAfter.docs - batchesBefore.docs) / batches, meanEmbedSeconds: (batchesAfter.embedSeconds - batchesBefore.embedSeconds) / batches },
    latency: latencies(pacedTweets.map((t) => t.id)),
    // the same, split by whether a refit was running (started, not yet applied) when the post was produced
    ...splitByRefit(pacedTweets.map((t) => t.id), (id) => producedAt.get(id)!, refitMarks(svc.logs), latencies),
    refitsDuring: refitMarks(svc.logs).length - refitsBefore,
    loadavg: os.loadavg(),
  };
  log(`paced: ${JSON.stringify(paced)}`);

  const status = await getJson<Record<string, unknown>>(port, '/api/status');
  // applySeconds: how long each refit held batches back (plan, publish and apply under the processor's lock)
  // mainSeconds: the refit's matching and hysteresis on the service's main thread (batches wait for it too)
  const applied = new Map(svc.logs.filter((l) => l.msg === 'refit applied').map((l) => [l.version as number, { applySeconds: l.applySeconds as number, mainSeconds: l.mainSeconds as number }]));
  const refits = refitMarks(svc.logs).map((m) => ({ version: m.version, windowDocs: m.windowDocs, seconds: (m.appliedAt - m.startedAt) / 1000, ...applied.get(m.version) }));
  const kafkaOverEmbedOnly = saturation.docsPerSecond / embedOnly.docsPerSecond;
  log(`through Kafka / embed-only: ${kafkaOverEmbedOnly.toFixed(3)}`);
  const file = saveResult('throughput-latency', { machine, config: 'window 10000, refit every 1000 docs, embedding defaults (fp32, workers auto)', embedOnly, saturation, kafkaOverEmbedOnly, paced, refits, status });
  log(`wrote ${file}`);
} finally {
  await producer?.disconnect().catch(() => undefined);
  await follower?.stop().catch(() => undefined);
  await stopAllServices();
  await deleteTopics(brokers, Object.values(topics)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

async function embedOnlyRate(texts: string[]): Promise<{ docs: number; seconds: number; docsPerSecond: number }> {
  const embedder = await createEmbedderFromConfig(loadConfig({ env: {} }));
  try {
    await embedder.embed(texts.slice(0, 64)); // workers up and warm, as the service's are by its first batch
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i += 1000) await embedder.embed(texts.slice(i, i + 1000));
    const seconds = (performance.now() - t0) / 1000;
    return { docs: texts.length, seconds, docsPerSecond: texts.length / seconds };
  } finally {
    await embedder.close();
  }
}

/** The service's embedding batches so far, from its /metrics (topicstream_embed_batch_size, topicstream_embed_seconds). */
async function batchCounters(port: number): Promise<{ count: number; docs: number; embedSeconds: number }> {
  const { text } = await httpGet(port, '/metrics');
  return { count: metric(text, 'topicstream_embed_batch_size_count'), docs: metric(text, 'topicstream_embed_batch_size_sum'), embedSeconds: metric(text, 'topicstream_embed_seconds_sum') };
}

/** Latencies of the posts produced while a refit ran, and of the others. */
function splitByRefit<T>(ids: string[], producedAt: (id: string) => number, marks: Array<{ startedAt: number; appliedAt: number }>, latencies: (ids: string[]) => T): { duringRefit?: { docs: number; latency: T }; outsideRefit?: { docs: number; latency: T } } {
  const inside: string[] = [];
  const outside: string[] = [];
  for (const id of ids) {
    const t = producedAt(id);
    (marks.some((m) => t >= m.startedAt && t <= m.appliedAt) ? inside : outside).push(id);
  }
  return {
    ...(inside.length ? { duringRefit: { docs: inside.length, latency: latencies(inside) } } : {}),
    ...(outside.length ? { outsideRefit: { docs: outside.length, latency: latencies(outside) } } : {}),
  };
}
