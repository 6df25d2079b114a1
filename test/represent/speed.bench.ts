/**
 * Speed of the vectorizer, c-TF-IDF and evaluation on all 18,846 20 Newsgroups bodies (not a test;
 * run by hand: node dist/test/represent/speed.bench.js). Prints timings as JSON lines.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SHARED_DATA } from '../helpers/paths.js';
import { CountVectorizer } from '../../src/represent/countVectorizer.js';

interface Row { body: string; label: string }
const rows: Row[] = gunzipSync(readFileSync(path.join(SHARED_DATA, '20newsgroups_bydate.jsonl.gz')))
  .toString('utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Row);
const docs = rows.map((r) => r.body);

function time<T>(name: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  console.log(JSON.stringify({ name, ms: Math.round(performance.now() - t0) }));
  return out;
}

for (let rep = 0; rep < 2; rep++) {
  const r1 = time('countVectorizer 1-gram', () => new CountVectorizer().fitTransform(docs));
  console.log(JSON.stringify({ vocab: r1.vocabulary.length, nnz: r1.matrix.indptr[r1.matrix.rows] }));
  time('countVectorizer bertopic-english', () => new CountVectorizer({ cleaning: 'bertopic-english' }).fitTransform(docs));
  const r2 = time('countVectorizer 1,2-gram stop english min_df 2', () =>
    new CountVectorizer({ ngramRange: [1, 2], stopWords: 'english', minDf: 2 }).fitTransform(docs));
  console.log(JSON.stringify({ vocab: r2.vocabulary.length, nnz: r2.matrix.indptr[r2.matrix.rows] }));
}
