/**
 * Topics over time for the dashboard, two ways: per refit (each topic's size at every refit, from
 * the registry's history) and per `ts` bucket (the window's documents by their topic now, counted
 * in buckets of a round length chosen so that the window's span fills at most MAX_BUCKETS).
 */
import type { TopicState } from '../../stream/topicRegistry.js';
import type { OverTimeView } from '../../http/types.js';

/** Refits shown at most (the latest). */
export const MAX_REFITS = 200;
/** Buckets over the window's span at most. */
export const MAX_BUCKETS = 60;

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** Round bucket lengths, seconds. */
const BUCKET_SECONDS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

/** The shortest round bucket that covers `spanMs` in at most MAX_BUCKETS buckets. */
export function bucketSeconds(spanMs: number): number {
  const need = spanMs / 1000 / MAX_BUCKETS;
  return BUCKET_SECONDS.find((s) => s >= need) ?? Math.ceil(need / (365 * DAY)) * 365 * DAY;
}

export function refitSeries(topics: readonly TopicState[]): OverTimeView['refits'] {
  const at = new Map<number, string>();
  for (const t of topics) for (const p of t.history ?? []) at.set(p.model_version, p.at);
  const versions = [...at.keys()].sort((a, b) => a - b).slice(-MAX_REFITS);
  const column = new Map(versions.map((v, i) => [v, i]));
  const series: OverTimeView['refits']['series'] = [];
  for (const t of topics) {
    if (t.id === -1) continue;
    const sizes = new Array<number>(versions.length).fill(0);
    let any = false;
    for (const p of t.history ?? []) {
      const i = column.get(p.model_version);
      if (i === undefined || p.size === 0) continue;
      sizes[i] = p.size;
      any = true;
    }
    if (any) series.push({ id: t.id, label: t.label, sizes });
  }
  return { versions, at: versions.map((v) => at.get(v)!), series };
}

/** Documents per topic per bucket of their ts; null for an empty window. */
export function bucketSeries(docs: Iterable<{ ts: number; topic: number }>, topics: ReadonlyMap<number, TopicState>): OverTimeView['buckets'] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const list: Array<{ ts: number; topic: number }> = [];
  for (const d of docs) {
    if (d.topic === -1 || !Number.isFinite(d.ts)) continue;
    list.push(d);
    if (d.ts < min) min = d.ts;
    if (d.ts > max) max = d.ts;
  }
  if (list.length === 0) return null;
  const seconds = bucketSeconds(max - min);
  const width = seconds * 1000;
  const first = Math.floor(min / width) * width;
  const n = Math.floor((max - first) / width) + 1;
  const counts = new Map<number, number[]>();
  for (const d of list) {
    let c = counts.get(d.topic);
    if (!c) counts.set(d.topic, (c = new Array<number>(n).fill(0)));
    c[Math.floor((d.ts - first) / width)]!++;
  }
  const series = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([id, c]) => ({ id, label: topics.get(id)?.label ?? String(id), counts: c }));
  return { seconds, starts: Array.from({ length: n }, (_, i) => new Date(first + i * width).toISOString()), series };
}
