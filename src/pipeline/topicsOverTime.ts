/**
 * Topics over time, as BERTopic's `topics_over_time`: the documents with a timestamp are cut into
 * equal-width time bins (pandas.cut with nr_bins), and for each bin and topic we count the
 * documents and compute the bin's own top words by c-TF-IDF over the bin's documents
 * (BERTopic with global_tuning and evolution_tuning off). Written by `fit` as
 * topics_over_time.json (docs/design.md, "Files of topicstream fit").
 */
import type { Config } from '../config/schema.js';
import type { Doc } from '../core/types.js';
import type { TopicsOverTime } from '../model/outputs.js';
import { topicTerms } from './describeTopics.js';

/** Time bins when the caller does not choose (BERTopic's default is one per distinct timestamp). */
export const DEFAULT_TIME_BINS = 20;
/** Words kept per topic and bin (BERTopic's topics_over_time keeps 5). */
export const WORDS_PER_BIN = 5;

/** The bin of each timestamp (-1 for a document without one), equal width from min to max. */
export function timeBins(ts: ReadonlyArray<number | undefined>, nrBins: number): { bin: Int32Array; start: number; width: number; nrBins: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const t of ts) {
    if (t === undefined || !Number.isFinite(t)) continue;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (min === Infinity) return null;
  const bins = max > min ? Math.max(1, Math.floor(nrBins)) : 1;
  const width = max > min ? (max - min) / bins : 1;
  const bin = new Int32Array(ts.length).fill(-1);
  ts.forEach((t, i) => {
    if (t === undefined || !Number.isFinite(t)) return;
    bin[i] = Math.min(bins - 1, Math.floor((t - min) / width));
  });
  return { bin, start: min, width, nrBins: bins };
}

/** Documents per topic per time bin with the bin's top words; null when no document has `ts`. */
export function topicsOverTime(docs: readonly Doc[], labels: Int32Array, config: Config, nrBins = DEFAULT_TIME_BINS): TopicsOverTime | null {
  const cut = timeBins(docs.map((d) => d.ts), nrBins);
  if (!cut) return null;
  const ids = [...new Set(labels)].sort((a, b) => a - b);
  const row = new Map(ids.map((id, i) => [id, i]));
  const counts = ids.map(() => new Array<number>(cut.nrBins).fill(0));
  const words = ids.map(() => Array.from({ length: cut.nrBins }, (): string[] => []));
  const members = Array.from({ length: cut.nrBins }, (): number[] => []);
  for (let i = 0; i < docs.length; i++) {
    const b = cut.bin[i]!;
    if (b < 0) continue;
    counts[row.get(labels[i]!)!]![b]!++;
    members[b]!.push(i);
  }
  members.forEach((idx, b) => {
    for (const [id, w] of binWords(docs, labels, idx, config)) words[row.get(id)!]![b] = w;
  });
  const iso = (t: number) => new Date(Math.round(t)).toISOString();
  return {
    nr_bins: cut.nrBins,
    bins: Array.from({ length: cut.nrBins }, (_, b) => ({ start: iso(cut.start + b * cut.width), end: iso(cut.start + (b + 1) * cut.width) })),
    topics: ids.map((id, r) => ({ id, counts: counts[r]!, words: words[r]! })),
  };
}

/** Top words per topic among one bin's documents (none when the bin is too small to count words). */
function binWords(docs: readonly Doc[], labels: Int32Array, idx: readonly number[], config: Config): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (idx.length === 0) return out;
  try {
    const tt = topicTerms(
      idx.map((i) => docs[i]!.text),
      Int32Array.from(idx, (i) => labels[i]!),
      config,
    );
    for (const t of tt.topics) out.set(t.id, t.words.slice(0, WORDS_PER_BIN).map((w) => w.word));
  } catch {
    // e.g. min_df prunes every word of a tiny bin: the bin keeps its counts, without words
  }
  return out;
}
