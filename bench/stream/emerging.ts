// Emerging topics (issue 14): detection delay and false alarms. Replays the first tweets in time
// order through the streaming processor and the emerging-topics monitor (real k-NN assignment, real
// refits in the refit worker, cached embeddings), once without a burst and once per burst: B posts
// of a 20 Newsgroups group (absent from the tweets) injected from tweet P on, one after every `gap`
// tweets. Reports, per burst, how many documents after the burst's first and 50th post the first
// emerging event about it came (an event whose sample documents are mostly burst posts), whether
// before the next refit, and which signal; without a burst, the strong (and weak, fading) events
// per 10,000 documents.
//   node dist/bench/stream/emerging.js [--tweets 20000] [--bursts 50,100,300] [--groups rec.sport.hockey,comp.graphics]
//     [--at 6000] [--gap 2] [--window 10000] [--every 1000] [--no-quiet] [--rate 150] [--trend '{"forming":{"minDocs":25}}'] [--name emerging]
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { roundTo } from '../../src/core/round.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { WorkerRefitter } from '../../src/stream/refit/workerRefitter.js';
import type { RawRecord } from '../../src/stream/types.js';
import type { TrendEvent } from '../../src/stream/messages.js';
import { TrendWatch } from '../../src/service/trendWiring.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { readFloat32, writeTyped } from '../../src/model/binary.js';
import { burstPosts, namesSubject } from '../../test/helpers/burstPosts.js';
import { ROOT } from '../../test/helpers/paths.js';
import { embeddedTweets } from './tweetEmbeddings.js';
import { CachedEmbedder, CountingSink } from './cachedParts.js';
import { machineInfo, saveResult } from './machine.js';

const { values } = parseArgs({
  options: {
    tweets: { type: 'string', default: '20000' },
    bursts: { type: 'string', default: '50,100,300' },
    groups: { type: 'string', default: 'rec.sport.hockey,comp.graphics' },
    at: { type: 'string', default: '6000' },
    gap: { type: 'string', default: '2' },
    after: { type: 'string', default: '2000' },
    trend: { type: 'string', default: '{}' },
    name: { type: 'string', default: 'emerging' },
    window: { type: 'string', default: '10000' },
    every: { type: 'string', default: '1000' },
    'no-quiet': { type: 'boolean', default: false },
    /** documents per second; 0: each refit is awaited before the next batch (refits take no stream time) */
    rate: { type: 'string', default: '0' },
  },
});
const N = Number(values.tweets);
const AT = Number(values.at);
const GAP = Number(values.gap);
const AFTER = Number(values.after);
const BATCH = 50;
const RATE = Number(values.rate);
const log = pino({ level: 'warn' });

interface Doc {
  id: string;
  text: string;
  burst: boolean;
}

/** Burst posts of a group with their embeddings, embedded once by the service's embedder and cached. */
async function embeddedBurst(group: string, n: number): Promise<{ docs: Doc[]; vectors: Float32Array; dim: number }> {
  const posts = await burstPosts(group, n, 'burst');
  const file = path.join(ROOT, 'bench', 'stream', '.cache', `burst-${group}-${n}.f32`);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta) && (JSON.parse(readFileSync(meta, 'utf8')) as { lastId: string }).lastId === posts.at(-1)!.id) {
    const vectors = readFloat32(file);
    return { docs: posts.map((p) => ({ ...p, burst: true })), vectors, dim: vectors.length / n };
  }
  const embedder = await createEmbedderFromConfig(loadConfig({ env: {} }), { log: () => {} });
  try {
    const m = await embedder.embed(posts.map((p) => p.text));
    mkdirSync(path.dirname(file), { recursive: true });
    writeTyped(file, m.data);
    writeFileSync(meta, JSON.stringify({ lastId: posts.at(-1)!.id }));
    return { docs: posts.map((p) => ({ ...p, burst: true })), vectors: m.data, dim: m.cols };
  } finally {
    await embedder.close();
  }
}

interface Replay {
  events: Array<TrendEvent & { index: number; aboutBurst: boolean }>;
  /** per batch: every topic's popularity and growth (for the threshold sweep) */
  signals: Array<Array<[number, number, number]>>;
  refitsAt: number[];
  docs: number;
}

async function replay(config: Config, stream: Doc[], embedder: CachedEmbedder): Promise<Replay> {
  const refitter = new WorkerRefitter(config);
  const sink = new CountingSink();
  const p = new StreamProcessor({ config, embedder, sink, refitter, log });
  const watch = new TrendWatch(config, p, sink, log);
  const indexOf = new Map(stream.map((d, i) => [d.id, i]));
  const burstIds = new Set(stream.filter((d) => d.burst).map((d) => d.id));
  const out: Replay = { events: [], signals: [], refitsAt: [], docs: stream.length };
  watch.on('update', (u) => {
    out.signals.push(u.state.topics.map((t) => [t.topic, t.popularity, t.growth]));
    for (const e of u.events) {
      const about = e.sample_docs.filter((d) => burstIds.has(d.id)).length;
      out.events.push({ ...e, index: indexOf.get(e.last_doc_id ?? '') ?? -1, aboutBurst: about * 2 > e.sample_docs.length });
    }
  });
  p.on('refit', () => out.refitsAt.push(p.window.lastSeq));
  let offset = 0;
  try {
    for (let i = 0; i < stream.length; i += BATCH) {
      const records: RawRecord[] = stream.slice(i, i + BATCH).map((d) => ({ topic: 'posts', partition: 0, offset: String(offset++), key: null, value: Buffer.from(JSON.stringify({ id: d.id, text: d.text })), timestamp: Date.now() }));
      await p.handleBatch(records);
      // as the service: refits run while the stream goes on at RATE documents per second
      if (RATE > 0) await new Promise((res) => setTimeout(res, (1000 * records.length) / RATE));
      else await p.idle();
    }
    await p.idle();
  } finally {
    await p.close();
    await refitter.close();
  }
  return out;
}

function perTenThousand(r: Replay, f: (e: Replay['events'][number]) => boolean): number {
  return roundTo((r.events.filter(f).length / r.docs) * 10_000, 2);
}

/**
 * Topic episodes per 10,000 documents at other thresholds, from the recorded signals: a topic is
 * counted when it first meets (growth, minDocs), and again only after it fell below weakGrowth or
 * minDocs (the monitor's "said once until stable").
 */
function sweep(r: Replay, t: Config['stream']['trend'], growths: number[], mins: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const growth of growths) {
    for (const minDocs of mins) {
      const armed = new Map<number, boolean>();
      let n = 0;
      for (const batch of r.signals) {
        for (const [topic, pop, g] of batch) {
          if (g >= growth && pop >= minDocs && armed.get(topic) !== false) {
            n++;
            armed.set(topic, false);
          } else if (g < Math.min(growth, t.weakGrowth) || pop < Math.min(minDocs, t.minDocs)) armed.set(topic, true);
        }
      }
      out[`${growth}x/${minDocs}`] = roundTo((n / r.docs) * 10_000, 2);
    }
  }
  return out;
}

const machine = machineInfo();
// the cache of 20,000 (the refit benchmarks'), cut to N
const all = await embeddedTweets(Math.max(N, 20_000));
const tweets = { ...all, ids: all.ids.slice(0, N), texts: all.texts.slice(0, N), vectors: all.vectors.subarray(0, N * all.dim) };
const trend = JSON.parse(values.trend!) as Record<string, unknown>;
const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: Number(values.window) }, refit: { everyDocs: Number(values.every), everySeconds: 0 }, trend } } });
const tweetDocs: Doc[] = tweets.ids.map((id, i) => ({ id, text: tweets.texts[i]!, burst: false }));
const results: Record<string, unknown> = { config: config.stream.trend, window: config.stream.window.maxDocs, everyDocs: config.stream.refit.everyDocs, at: AT, gap: GAP };

// without a burst: false alarms
const quiet = values['no-quiet'] ? { events: [], signals: [], refitsAt: [], docs: 1 } : await replay(config, tweetDocs, new CachedEmbedder(tweets));
const falseAlarms = {
  docs: quiet.docs,
  strongPer10k: perTenThousand(quiet, (e) => e.type === 'emerging' && e.signal === 'strong'),
  weakPer10k: perTenThousand(quiet, (e) => e.type === 'emerging' && e.signal === 'weak'),
  fadingPer10k: perTenThousand(quiet, (e) => e.type === 'fading'),
  formingPer10k: perTenThousand(quiet, (e) => e.forming_id !== undefined),
  strong: quiet.events.filter((e) => e.signal === 'strong').map((e) => ({ index: e.index, topic: e.topic_id, forming: e.forming_id, label: e.label, growth: e.growth })),
};
process.stderr.write(`no burst: ${JSON.stringify(falseAlarms)}\n`);
results.noBurst = falseAlarms;
results.strongSweep = sweep(quiet, config.stream.trend, [3, 4, 5, 6, 8], [20, 30, 40, 50, 60]);
results.weakSweep = sweep(quiet, config.stream.trend, [2, 2.5, 3, 4], [5, 10, 15, 20]);
process.stderr.write(`episodes per 10,000 documents by (growth, minDocs): strong ${JSON.stringify(results.strongSweep)}; weak ${JSON.stringify(results.weakSweep)}\n`);

const bursts: unknown[] = [];
for (const group of values.groups!.split(',')) {
  for (const size of values.bursts!.split(',').map(Number)) {
    const b = await embeddedBurst(group, size);
    const stream: Doc[] = [];
    let k = 0;
    const end = Math.min(N, AT + size * GAP + AFTER);
    for (let i = 0; i < end; i++) {
      stream.push(tweetDocs[i]!);
      if (i >= AT && k < size && (i - AT) % GAP === GAP - 1) stream.push(b.docs[k++]!);
    }
    const texts = [...tweets.texts.slice(0, end), ...b.docs.map((d) => d.text)];
    const vectors = new Float32Array(texts.length * tweets.dim);
    vectors.set(tweets.vectors.subarray(0, end * tweets.dim));
    vectors.set(b.vectors, end * tweets.dim);
    const r = await replay(config, stream, new CachedEmbedder({ model: tweets.model, dim: tweets.dim, texts, vectors }));
    const burstAt = stream.map((d, i) => (d.burst ? i : -1)).filter((i) => i >= 0);
    const fiftieth = burstAt[Math.min(49, burstAt.length - 1)]!;
    const first = r.events.find((e) => e.type === 'emerging' && e.aboutBurst);
    const nextRefitAfter50 = r.refitsAt.find((s) => s >= fiftieth);
    const row = {
      group,
      size,
      docs: stream.length,
      detected: Boolean(first),
      afterFirstPost: first ? first.index - burstAt[0]! : null,
      after50th: first ? first.index - fiftieth : null,
      burstPostsSeen: first ? burstAt.filter((i) => i <= first.index).length : null,
      signal: first?.signal ?? null,
      forming: first ? first.forming_id !== undefined : null,
      label: first?.label ?? null,
      namesSubject: first ? namesSubject(first.words, b.docs.map((d) => d.text), tweets.texts.slice(0, end)) : null,
      beforeNextRefit: first ? nextRefitAfter50 === undefined || first.index <= nextRefitAfter50 : null,
      otherStrongPer10k: perTenThousand(r, (e) => e.type === 'emerging' && e.signal === 'strong' && !e.aboutBurst),
    };
    process.stderr.write(`burst ${group} x${size}: ${JSON.stringify(row)}\n`);
    bursts.push(row);
  }
}
results.bursts = bursts;
const file = saveResult(values.name!, { machine, loadavgAfter: machineInfo().loadavg, model: tweets.model, ...results });
process.stderr.write(`wrote ${file}\n`);
