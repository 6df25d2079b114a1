/**
 * Document-level persistence of a refit (docs/design.md, "Topic identity"): of the documents that
 * were in a topic before the refit and are still in the window, the share that keeps its topic id
 * (`kept`), the share the best one-to-one relabelling of the new clusters could have kept
 * (`ceiling`: how much is lost to id matching rather than to the clustering itself) and the share
 * that fell out to the outliers (`outliers`). Topic-level Jaccard hides what a reader notices: a
 * document that changes topic.
 */
import { hungarian } from './hungarian.js';

export interface Persistence {
  /** documents that were in a topic and are still in the window */
  retained: number;
  kept: number;
  ceiling: number;
  outliers: number;
}

/**
 * @param prev topic of each document before the refit (-1 outlier)
 * @param next topic id of each document after it (-1 outlier)
 * @param live whether each document is still in the window
 */
export function documentPersistence(prev: Int32Array, next: Int32Array, live: (i: number) => boolean): Persistence {
  const pairs = new Map<number, Map<number, number>>();
  let retained = 0;
  let kept = 0;
  let outliers = 0;
  for (let i = 0; i < prev.length; i++) {
    const p = prev[i]!;
    if (p < 0 || !live(i)) continue;
    retained++;
    const n = next[i]!;
    if (n === p) kept++;
    if (n < 0) {
      outliers++;
      continue;
    }
    let row = pairs.get(n);
    if (!row) pairs.set(n, (row = new Map()));
    row.set(p, (row.get(p) ?? 0) + 1);
  }
  if (retained === 0) return { retained, kept: Number.NaN, ceiling: Number.NaN, outliers: Number.NaN };
  return { retained, kept: kept / retained, ceiling: bestRelabelling(pairs) / retained, outliers: outliers / retained };
}

/** The most documents a one-to-one relabelling of new clusters to old topics keeps (Hungarian). */
function bestRelabelling(pairs: Map<number, Map<number, number>>): number {
  const news = [...pairs.keys()];
  const olds = [...new Set([...pairs.values()].flatMap((r) => [...r.keys()]))];
  if (!news.length || !olds.length) return 0;
  const col = new Map(olds.map((o, j) => [o, j]));
  const cost = new Float64Array(news.length * olds.length);
  news.forEach((n, i) => {
    for (const [o, c] of pairs.get(n)!) cost[i * olds.length + col.get(o)!] = -c;
  });
  const colOf = hungarian(cost, news.length, olds.length);
  let total = 0;
  colOf.forEach((j, i) => {
    if (j >= 0) total -= cost[i * olds.length + j]!;
  });
  return total;
}
