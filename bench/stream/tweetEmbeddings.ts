// The first N tweets of the Trump Twitter Archive file with their embeddings, embedded once with the
// service's own embedder (config defaults) and cached in bench/stream/.cache/ (gitignored), so the
// refit benchmark measures refits, not embedding.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { readRawLines } from '../../src/io/lines.js';
import { readFloat32, writeTyped } from '../../src/model/binary.js';
import { ROOT, SHARED_DATA } from '../../test/helpers/paths.js';

export const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const CACHE = path.join(ROOT, 'bench', 'stream', '.cache');

export interface EmbeddedTweets {
  ids: string[];
  texts: string[];
  dim: number;
  /** n × dim, row-major, L2-normalised */
  vectors: Float32Array;
  model: string;
  /** seconds it took to embed them, when not read from the cache */
  embedSeconds?: number;
}

export async function readTweets(n: number, skip = 0): Promise<Array<{ id: string; text: string }>> {
  const out: Array<{ id: string; text: string }> = [];
  let seen = 0;
  for await (const { bytes } of readRawLines(TWEETS)) {
    if (bytes.length === 0) continue;
    if (seen++ < skip) continue;
    const d = JSON.parse(bytes.toString('utf8')) as { id: string; text: string };
    if (typeof d.text !== 'string' || d.text.trim() === '') continue;
    out.push({ id: d.id, text: d.text });
    if (out.length >= n) break;
  }
  if (out.length < n) throw new Error(`${TWEETS} has only ${out.length} usable tweets`);
  return out;
}

export async function embeddedTweets(n: number, log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<EmbeddedTweets> {
  const config = loadConfig();
  const tweets = await readTweets(n);
  const key = `trump-first${n}-${config.embedding.model.replace(/[^\w.-]+/g, '_')}-${config.embedding.dtype}`;
  const vecFile = path.join(CACHE, `${key}.f32`);
  const metaFile = path.join(CACHE, `${key}.json`);
  if (existsSync(vecFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { n: number; dim: number; model: string; firstId: string; lastId: string };
    if (meta.n === n && meta.firstId === tweets[0]!.id && meta.lastId === tweets[n - 1]!.id) {
      log(`embeddings from the cache: ${vecFile}`);
      return { ids: tweets.map((t) => t.id), texts: tweets.map((t) => t.text), dim: meta.dim, vectors: readFloat32(vecFile), model: meta.model };
    }
  }
  const embedder = await createEmbedderFromConfig(config, { log });
  try {
    const dim = embedder.dim;
    const vectors = new Float32Array(n * dim);
    const t0 = performance.now();
    const chunk = 1000;
    for (let i = 0; i < n; i += chunk) {
      const m = await embedder.embed(tweets.slice(i, i + chunk).map((t) => t.text));
      vectors.set(m.data, i * dim);
      const s = (performance.now() - t0) / 1000;
      log(`embedded ${Math.min(n, i + chunk)}/${n} tweets in ${s.toFixed(0)} s (${(Math.min(n, i + chunk) / s).toFixed(0)}/s)`);
    }
    const embedSeconds = (performance.now() - t0) / 1000;
    mkdirSync(CACHE, { recursive: true });
    writeTyped(vecFile, vectors);
    writeFileSync(metaFile, JSON.stringify({ n, dim, model: embedder.modelId, firstId: tweets[0]!.id, lastId: tweets[n - 1]!.id, embedSeconds }));
    return { ids: tweets.map((t) => t.id), texts: tweets.map((t) => t.text), dim, vectors, model: embedder.modelId, embedSeconds };
  } finally {
    await embedder.close();
  }
}
