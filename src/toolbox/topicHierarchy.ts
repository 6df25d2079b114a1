/**
 * The merge tree of topics, as BERTopic 0.17.4's hierarchical_topics with its defaults: Ward
 * linkage (scipy.cluster.hierarchy.linkage(X, "ward")) on 1 - cosine similarity of the topics'
 * c-TF-IDF rows, the outlier topic left out. Each merge joins two nodes into a new one: leaves are
 * topic ids, merge i is node n + i (n topics), as BERTopic's Parent_ID / Child_*_ID when topic ids
 * are 0..n-1 (they are after a fit). A merge's words are the c-TF-IDF of the summed counts of its
 * topics with the fit's idf, as BERTopic names its parents.
 *
 * The linkage is src/report/hierarchy.ts's wardLinkage (the report's dendrogram draws this tree).
 * scipy's optimal_ordering only swaps the two children of some merges (for drawing); here the
 * smaller node comes first.
 */
import type { CsrMatrix } from '../represent/csr.js';
import { transformCtfidf } from '../represent/ctfidf.js';
import type { TopicTerms } from '../represent/topicTerms.js';
import { topWordsOfRow } from '../represent/topWords.js';
import { wardLinkage } from '../report/hierarchy.js';
import type { TopicsFileMerge } from '../model/outputs.js';


/** Merges in order (the last one is the root); empty with fewer than 2 topics. */
export function topicHierarchy(terms: TopicTerms, nWords = 10): TopicsFileMerge[] {
  const rows: number[] = [];
  terms.topicIds.forEach((id, r) => id !== -1 && rows.push(r));
  const n = rows.length;
  if (n < 2) return [];
  const merges = wardLinkage(cosineDistances(terms.scores, rows), n);
  const leaves: number[][] = rows.map((r) => [r]);
  return merges.map((m, i) => {
    const under = [...leaves[m.a]!, ...leaves[m.b]!].sort((x, y) => x - y);
    leaves.push(under);
    const node = (k: number) => (k < n ? terms.topicIds[rows[k]!]! : k);
    const [left, right] = [node(m.a), node(m.b)].sort((x, y) => x - y) as [number, number];
    return { id: n + i, left, right, distance: m.height, topics: under.map((r) => terms.topicIds[r]!), words: mergedWords(terms, under, nWords) };
  });
}

/** 1 - cosine similarity of the given rows, n x n (diagonal 0). */
function cosineDistances(m: CsrMatrix, rows: readonly number[]): Float64Array {
  const n = rows.length;
  const dense = new Float64Array(m.cols);
  const norms = rows.map((r) => Math.sqrt(dotRow(m, r, m, r)));
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = rows[i]!;
    for (let p = m.indptr[ri]!; p < m.indptr[ri + 1]!; p++) dense[m.indices[p]!] = m.data[p]!;
    for (let j = i + 1; j < n; j++) {
      const rj = rows[j]!;
      let dot = 0;
      for (let p = m.indptr[rj]!; p < m.indptr[rj + 1]!; p++) dot += dense[m.indices[p]!]! * m.data[p]!;
      const d = norms[i]! > 0 && norms[j]! > 0 ? 1 - dot / (norms[i]! * norms[j]!) : 1;
      out[i * n + j] = out[j * n + i] = d;
    }
    for (let p = m.indptr[ri]!; p < m.indptr[ri + 1]!; p++) dense[m.indices[p]!] = 0;
  }
  return out;
}

function dotRow(a: CsrMatrix, ra: number, b: CsrMatrix, rb: number): number {
  let s = 0;
  for (let p = a.indptr[ra]!, q = b.indptr[rb]!; p < a.indptr[ra + 1]! && q < b.indptr[rb + 1]!; ) {
    const ia = a.indices[p]!;
    const ib = b.indices[q]!;
    if (ia === ib) s += a.data[p++]! * b.data[q++]!;
    else if (ia < ib) p++;
    else q++;
  }
  return s;
}

/** c-TF-IDF of the summed counts of some topic rows (ClassTfidfTransformer.transform), top words. */
function mergedWords(terms: TopicTerms, rows: readonly number[], nWords: number): string[] {
  const sum = new Map<number, number>();
  const c = terms.counts;
  for (const r of rows) for (let p = c.indptr[r]!; p < c.indptr[r + 1]!; p++) sum.set(c.indices[p]!, (sum.get(c.indices[p]!) ?? 0) + c.data[p]!);
  const cols = [...sum.keys()].sort((x, y) => x - y);
  const row: CsrMatrix = { rows: 1, cols: c.cols, indptr: Int32Array.of(0, cols.length), indices: Int32Array.from(cols), data: Float64Array.from(cols, (k) => sum.get(k)!) };
  return topWordsOfRow(transformCtfidf(row, terms.idf, terms.ctfidf), terms.vocabulary, 0, nWords).map((w) => w.word);
}
