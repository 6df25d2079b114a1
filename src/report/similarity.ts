/**
 * Topic similarities for the report: cosine similarity of topic centroids (the mean document
 * embedding of each topic, as BERTopic's topic_embeddings_, for the heatmap) and of topic word
 * vectors (each topic's c-TF-IDF scores over its stored words, for the hierarchy).
 */
/** Each topic's word scores as one vector over the union of their words, L2-normalised. */
export function wordVectors(topics: ReadonlyArray<{ words: ReadonlyArray<{ word: string; score: number }> }>): Float64Array[] {
  const column = new Map<string, number>();
  for (const t of topics) for (const w of t.words) if (!column.has(w.word)) column.set(w.word, column.size);
  return topics.map((t) => {
    const v = new Float64Array(column.size);
    for (const w of t.words) v[column.get(w.word)!] = w.score;
    return normalise(v);
  });
}

/** Pairwise cosine similarity of normalised rows, n × n row-major. */
export function cosineMatrix(rows: readonly Float64Array[]): Float64Array {
  const n = rows.length;
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const x = rows[a]!;
      const y = rows[b]!;
      let dot = 0;
      for (let j = 0; j < x.length; j++) dot += x[j]! * y[j]!;
      out[a * n + b] = dot;
      out[b * n + a] = dot;
    }
  }
  return out;
}

function normalise(v: Float64Array): Float64Array {
  let sq = 0;
  for (let j = 0; j < v.length; j++) sq += v[j]! * v[j]!;
  const norm = Math.sqrt(sq);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j]! /= norm;
  return v;
}
