/**
 * Speed of the vectorizer, c-TF-IDF, representative documents and the metrics on all 18,846
 * 20 Newsgroups bodies. Not a test (no timing assertions); run by hand after building:
 *   node dist/bench/represent/speed.js
 * Prints one JSON line per measurement.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SHARED_DATA } from '../../test/helpers/paths.js';
import { createAnalyzer } from '../../src/represent/analyzer.js';
import { CountVectorizer } from '../../src/represent/countVectorizer.js';
import { representativeDocsByCtfidf } from '../../src/represent/representativeDocs.js';
import { computeTopicTerms } from '../../src/represent/topicTerms.js';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { topicDiversity } from '../../src/eval/diversity.js';
import { normalizedMutualInfo } from '../../src/eval/nmi.js';
import { npmiCoherence } from '../../src/eval/npmi.js';

interface Row { body: string; label: string }
const rows: Row[] = gunzipSync(readFileSync(path.join(SHARED_DATA, '20newsgroups_bydate.jsonl.gz')))
  .toString('utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Row);
const docs = rows.map((r) => r.body);
const groups = [...new Set(rows.map((r) => r.label))].sort();
// Labels as topics, every 10th document an outlier.
const labels = Int32Array.from(rows, (r, i) => (i % 10 === 0 ? -1 : groups.indexOf(r.label)));
let bytes = 0;
for (const d of docs) bytes += d.length;

function time<T>(name: string, f: () => T, extra: (x: T) => object = () => ({})): T {
  const t0 = performance.now();
  const out = f();
  console.log(JSON.stringify({ name, ms: Math.round(performance.now() - t0), ...extra(out) }));
  return out;
}

console.log(JSON.stringify({ docs: docs.length, chars: bytes }));
const vocabInfo = (r: { vocabulary: string[]; matrix: { indptr: Int32Array; rows: number } }) => ({
  vocab: r.vocabulary.length,
  nnz: r.matrix.indptr[r.matrix.rows],
});
time('CountVectorizer default', () => new CountVectorizer().fitTransform(docs), vocabInfo);
time('CountVectorizer bertopic-english cleaning', () => new CountVectorizer({ cleaning: 'bertopic-english' }).fitTransform(docs), vocabInfo);
time('CountVectorizer (1,2) english min_df 2', () =>
  new CountVectorizer({ ngramRange: [1, 2], stopWords: 'english', minDf: 2 }).fitTransform(docs), vocabInfo);
const tt = time('computeTopicTerms default (21 topics)', () => computeTopicTerms({ docs, labels }), (r) => ({ vocab: r.vocabulary.length }));
time('computeTopicTerms bm25+reduce, english, prior decay 0.5', () =>
  computeTopicTerms({ docs, labels, vectorizer: { stopWords: 'english' }, ctfidf: { bm25Weighting: true, reduceFrequentWords: true }, prior: tt.carryOver, decay: 0.5 }),
  (r) => ({ vocab: r.vocabulary.length }));
time('representativeDocsByCtfidf (500 samples/topic)', () => representativeDocsByCtfidf(tt, docs, labels));
const analyzer = createAnalyzer({ cleaning: 'bertopic-english' });
const tokenised = time('tokenise for NPMI', () => docs.map(analyzer));
const ttEn = computeTopicTerms({ docs, labels, vectorizer: { stopWords: 'english' } });
time('npmiCoherence (20 topics x 10 words)', () => npmiCoherence(ttEn.topics, tokenised), (r) => ({ npmi: r.mean }));
const tt25 = computeTopicTerms({ docs, labels, vectorizer: { stopWords: 'english' }, topNWords: 25 });
time('topicDiversity', () => topicDiversity(tt25.topics), (d) => ({ diversity: d }));
const pred = Int32Array.from(labels, (l, i) => (i % 7 === 0 ? (i * 31) % 25 : l));
const truth = rows.map((r) => r.label);
time('NMI', () => normalizedMutualInfo(truth, pred), (v) => ({ nmi: v }));
time('ARI', () => adjustedRandIndex(truth, pred), (v) => ({ ari: v }));
