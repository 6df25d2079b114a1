// The first N tweets of the Trump Twitter Archive file (or the first N non-empty 20 Newsgroups
// bodies) with their embeddings, embedded once with the service's own embedder (config defaults)
// and cached in bench/stream/.cache/ (gitignored), so the refit benchmark measures refits, not
// embedding.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { readRawLines } from '../../src/io/lines.js';
import { readFloat32, writeTyped } from '../../src/model/binary.js';
import { ROOT, SHARED_DATA } from '../../test/helpers/paths.js';

export const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
export const NEWSGROUPS = path.join(SHARED_DATA, '20newsgroups_bydate.jsonl.gz');
const CACHE = path.join(ROOT, 'bench', 'stream', '.cache');

export interface EmbeddedDocs {
  ids: string[];
  texts: string[];
  dim: number;
  /** n × dim, row-major, L2-normalised */
  vectors: Float32Array;
  model: string;
  /** seconds it took to embed them, when not read from the cache */
  embedSeconds?: number;
}

export function readTweets(n: number, skip = 0): Promise<Array<{ id: string; text: string }>> {
  return readDocs(TWEETS, 'text', n, skip);
}

/** The first n documents of a JSON Lines file whose `field` is a non-empty string (after `skip` lines). */
async function readDocs(file: string, field: string, n: number, skip = 0): Promise<Array<{ id: string; text: string }>> {
  const out: Array<{ id: string; text: string }> = [];
  let seen = 0;
  for await (const { bytes } of readRawLines(file)) {
    if (bytes.length === 0) continue;
    if (seen++ < skip) continue;
    const d = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const text = d[field];
    if (typeof text !== 'string' || text.trim() === '') continue;
    out.push({ id: String(d.id), text });
    if (out.length >= n) break;
  }
  if (out.length < n) throw new Error(`${file} has only ${out.length} documents with a non-empty ${field}`);
  return out;
}

export function embeddedTweets(n: number, log?: (s: string) => void): Promise<EmbeddedDocs> {
  return embeddedDocs({ file: TWEETS, field: 'text', key: 'trump', what: 'tweets' }, n, log);
}

/** The first n non-empty 20 Newsgroups bodies: what the refit benchmark adds beyond the tweets. */
export function embeddedNewsgroups(n: number, log?: (s: string) => void): Promise<EmbeddedDocs> {
  return embeddedDocs({ file: NEWSGROUPS, field: 'body', key: '20ng-body', what: '20 Newsgroups bodies' }, n, log);
}

async function embeddedDocs(
  corpus: { file: string; field: string; key: string; what: string },
  n: number,
  log: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<EmbeddedDocs> {
  const config = loadConfig();
  const docs = await readDocs(corpus.file, corpus.field, n);
  const key = `${corpus.key}-first${n}-${config.embedding.model.replace(/[^\w.-]+/g, '_')}-${config.embedding.dtype}`;
  const vecFile = path.join(CACHE, `${key}.f32`);
  const metaFile = path.join(CACHE, `${key}.json`);
  const ids = docs.map((t) => t.id);
  const texts = docs.map((t) => t.text);
  if (existsSync(vecFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { n: number; dim: number; model: string; firstId: string; lastId: string };
    if (meta.n === n && meta.firstId === ids[0] && meta.lastId === ids[n - 1]) {
      log(`embeddings from the cache: ${vecFile}`);
      return { ids, texts, dim: meta.dim, vectors: readFloat32(vecFile), model: meta.model };
    }
  }
  const embedder = await createEmbedderFromConfig(config, { log });
  try {
    const dim = embedder.dim;
    const vectors = new Float32Array(n * dim);
    const t0 = performance.now();
    const chunk = 1000;
    for (let i = 0; i < n; i += chunk) {
      const m = await embedder.embed(texts.slice(i, i + chunk));
      vectors.set(m.data, i * dim);
      const s = (performance.now() - t0) / 1000;
      log(`embedded ${Math.min(n, i + chunk)}/${n} ${corpus.what} in ${s.toFixed(0)} s (${(Math.min(n, i + chunk) / s).toFixed(0)}/s)`);
    }
    const embedSeconds = (performance.now() - t0) / 1000;
    mkdirSync(CACHE, { recursive: true });
    writeTyped(vecFile, vectors);
    writeFileSync(metaFile, JSON.stringify({ n, dim, model: embedder.modelId, firstId: ids[0], lastId: ids[n - 1], embedSeconds }));
    return { ids, texts, dim, vectors, model: embedder.modelId, embedSeconds };
  } finally {
    await embedder.close();
  }
}
