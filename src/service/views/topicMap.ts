/**
 * The dashboard's topic map: a sample of the window laid out in 2-D by UMAP (the report's
 * settings, run in a worker thread), each topic at the mean of its sampled documents. Computed
 * once per model version (the first request after a refit waits for it; later ones share it).
 */
import { createMatrix } from '../../core/types.js';
import { mulberry32 } from '../../core/random.js';
import { roundTo } from '../../core/round.js';
import { layout2d } from '../../report/documentMap.js';
import type { HnswOptions } from '../../knn/index.js';
import type { WindowDoc } from '../../stream/window/windowStore.js';
import type { TopicState } from '../../stream/topicRegistry.js';
import type { TopicMapView } from '../../http/types.js';

/** Characters of a document's text on the map (hover). */
const MAP_TEXT_CHARS = 200;
/** Every topic gets at least this many documents on the map (or all it has), so each has a place. */
const MIN_PER_TOPIC = 5;

export interface MapSource {
  version: number;
  docs(): Iterable<WindowDoc>;
  vectorOfSeq(seq: number): Float32Array | undefined;
  dim: number;
  topic(id: number): TopicState | undefined;
}

/**
 * Up to `maxDocs` documents drawn with the seed, each topic (outliers included) in proportion to its
 * size but with at least MIN_PER_TOPIC; in window order.
 */
export function stratifiedSample(docs: readonly WindowDoc[], maxDocs: number, seed: number): WindowDoc[] {
  if (docs.length <= maxDocs) return [...docs];
  const byTopic = new Map<number, WindowDoc[]>();
  for (const d of docs) {
    let l = byTopic.get(d.topic);
    if (!l) byTopic.set(d.topic, (l = []));
    l.push(d);
  }
  const rand = mulberry32(seed);
  const picked: WindowDoc[] = [];
  for (const l of byTopic.values()) {
    const take = Math.min(l.length, Math.max(MIN_PER_TOPIC, Math.round((maxDocs * l.length) / docs.length)));
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rand() * (l.length - i));
      [l[i], l[j]] = [l[j]!, l[i]!];
    }
    picked.push(...l.slice(0, take));
  }
  return picked.sort((a, b) => a.seq - b.seq);
}

export async function computeTopicMap(src: MapSource, opts: { maxDocs: number; seed: number; hnsw: HnswOptions }): Promise<TopicMapView> {
  const sample = stratifiedSample([...src.docs()], opts.maxDocs, opts.seed + src.version);
  const x = createMatrix(sample.length, src.dim);
  sample.forEach((d, i) => x.data.set(src.vectorOfSeq(d.seq)!, i * src.dim));
  const xy = await layout2d(x, { seed: opts.seed + src.version, hnsw: opts.hnsw, worker: true });
  const sums = new Map<number, { x: number; y: number; n: number }>();
  const docs = sample.map((d, i) => {
    const p = { x: roundTo(xy[2 * i]!, 3), y: roundTo(xy[2 * i + 1]!, 3), topic: d.topic, text: d.text.slice(0, MAP_TEXT_CHARS) };
    if (d.topic !== -1) {
      const s = sums.get(d.topic) ?? { x: 0, y: 0, n: 0 };
      s.x += p.x;
      s.y += p.y;
      s.n++;
      sums.set(d.topic, s);
    }
    return p;
  });
  const topics = [...sums.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, s]) => {
      const t = src.topic(id);
      return { id, label: t?.label ?? String(id), size: t?.size ?? s.n, x: roundTo(s.x / s.n, 3), y: roundTo(s.y / s.n, 3) };
    });
  return { model_version: src.version, topics, docs };
}

/** One map per model version; a failed computation is not kept (the next request tries again). */
export class TopicMapCache {
  private cached?: { version: number; map: Promise<TopicMapView> };

  constructor(private readonly opts: { maxDocs: number; seed: number; hnsw: HnswOptions }) {}

  get(src: MapSource): Promise<TopicMapView> {
    if (this.cached?.version === src.version) return this.cached.map;
    const map = computeTopicMap(src, this.opts);
    const entry = { version: src.version, map };
    this.cached = entry;
    map.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return map;
  }
}
