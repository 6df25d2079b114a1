/**
 * MMR and KeyBERT-inspired topic words against BERTopic 0.17.4 on the toolbox fixture's 400 posts
 * and 23 fixed topics (test/fixtures/toolbox/make_representations.py). Both sides use the same
 * vectors: our embedder's, exported for every string BERTopic's models embed (word_strings.json,
 * word_embeddings.npy); here they are served by a lookup in place of the embedder, which fails on
 * any string BERTopic did not embed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Doc, Embedder, Matrix } from '../../src/core/types.js';
import { readDocs } from '../../src/io/readDocs.js';
import { readNpy } from '../../src/model/npy.js';
import { describeTopicsWith, topicTerms } from '../../src/pipeline/describeTopics.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { csrGet, topicRowOf, topWordsOfRow, type WordScore } from '../../src/represent/index.js';
import { keybertWords } from '../../src/represent/keybertInspired.js';
import { mmrWords } from '../../src/represent/mmr.js';
import { WordVectors } from '../../src/represent/wordVectors.js';
import { FIXTURES } from '../helpers/paths.js';

type Words = Record<string, Array<[string, number]>>;
interface Expected {
  candidates: Record<string, string[]>;
  mmr: Array<{ diversity: number; words: Words }>;
  keybert: Array<{ nr_repr_docs: number; nr_candidate_words: number; candidates: Record<string, string[]>; words: Words }>;
}

const DIR = path.join(FIXTURES, 'toolbox');
const expected = JSON.parse(readFileSync(path.join(DIR, 'representations.json'), 'utf8')) as Expected;
const labels = Int32Array.from((JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { base_topics: number[] }).base_topics);
const embeddings = readNpy(path.join(DIR, 'embeddings.npy'));
const strings = JSON.parse(readFileSync(path.join(DIR, 'word_strings.json'), 'utf8')) as string[];
const wordMatrix = readNpy(path.join(DIR, 'word_embeddings.npy'));
const base = loadConfig({ env: {} });
const docs: Doc[] = (await readDocs(path.join(DIR, 'docs.jsonl.gz'), { ...base.input })).docs;

/**
 * The exported vectors of our embedder, by string. A string BERTopic never embedded (our candidate
 * words differ from BERTopic's only in the order of tied words, which changes MMR's topic string)
 * goes to the real embedder.
 */
let live: Embedder | null = null;
after(async () => live?.close());
function lookupEmbedder(fallbacks: string[] = []): Pick<Embedder, 'embed'> {
  const row = new Map(strings.map((s, i) => [s, i]));
  const cols = wordMatrix.cols;
  return {
    embed: async (texts: readonly string[]): Promise<Matrix> => {
      const unknown = texts.filter((t) => !row.has(t));
      fallbacks.push(...unknown);
      const m = unknown.length > 0 ? await (live ??= await createEmbedderFromConfig(base)).embed(unknown) : null;
      const data = new Float32Array(texts.length * cols);
      texts.forEach((t, i) => {
        const r = row.get(t);
        const src = r !== undefined ? wordMatrix.data.subarray(r * cols, (r + 1) * cols) : m!.data.subarray(unknown.indexOf(t) * cols, (unknown.indexOf(t) + 1) * cols);
        data.set(src, i * cols);
      });
      return { rows: texts.length, cols, data };
    },
  };
}

const texts = docs.map((d) => d.text);
const terms = topicTerms(texts, labels, base);
const scoreOf = (id: number, word: string) => csrGet(terms.scores, topicRowOf(terms, id), terms.vocabulary.indexOf(word));

function assertWords(id: number, ours: readonly WordScore[], theirs: Array<[string, number]>, tolerance: number, what: string): void {
  assert.deepEqual(ours.map((w) => w.word), theirs.map(([w]) => w), `${what}, topic ${id}`);
  ours.forEach((w, i) => assert.ok(Math.abs(w.score - theirs[i]![1]) < tolerance, `${what}, topic ${id} "${w.word}": ${w.score} vs ${theirs[i]![1]}`));
}

test('MMR on BERTopic\'s candidates: the same words as MaximalMarginalRelevance, every topic and diversity', async () => {
  const vectors = new WordVectors(lookupEmbedder());
  for (const e of expected.mmr) {
    for (const [id, words] of Object.entries(expected.candidates)) {
      const candidates = words.map((word) => ({ word, score: scoreOf(Number(id), word) }));
      assertWords(Number(id), await mmrWords(candidates, vectors, e.diversity, 10), e.words[id]!, 1e-9, `diversity ${e.diversity}`);
    }
  }
  assert.equal(vectors.embedded, new Set(Object.values(expected.candidates).flatMap((w) => [w.join(' '), ...w])).size, 'each string embedded once per run');
});

test('KeyBERT-inspired on BERTopic\'s candidates: the same words in the same order as KeyBERTInspired, similarities to 1e-6', async () => {
  for (const e of expected.keybert) {
    const candidates = new Map(Object.entries(e.candidates).map(([id, w]) => [Number(id), w]));
    const o = { topNWords: 10, nrReprDocs: e.nr_repr_docs, nrSamples: 500, nrCandidateWords: e.nr_candidate_words, seed: base.seed, candidates };
    const ours = await keybertWords(terms, texts, labels, embeddings, new WordVectors(lookupEmbedder()), o);
    for (const [id, words] of ours) assertWords(id, words, e.words[String(id)]!, 1e-6, `nr_repr_docs ${e.nr_repr_docs}`);
  }
});

/**
 * The whole describe stage (our own c-TF-IDF candidates): every topic whose candidates are
 * BERTopic's (MMR: in the same order; KeyBERT: the same set) gets BERTopic's words exactly. The others differ
 * in tied words only; their words are counted, not compared.
 */
test('fit\'s describe stage with representation mmr / keybert: BERTopic\'s words wherever the candidates agree', async () => {
  const run = (r: Partial<Config['representation']>) => describeTopicsWith(docs, labels, embeddings, { ...base, representation: { ...base.representation, ...r } }, async () => lookupEmbedder());
  let same = 0;
  const shared: number[] = []; // words in common where the candidates differ
  const overlap = (t: { words: readonly WordScore[] }, theirs: Array<[string, number]>) => shared.push(t.words.filter((w) => theirs.some(([x]) => x === w.word)).length);
  for (const e of expected.mmr) {
    for (const t of await run({ method: 'mmr', diversity: e.diversity })) {
      if (terms.topics[topicRowOf(terms, t.id)]!.words.map((w) => w.word).join(' ') !== expected.candidates[String(t.id)]!.join(' ')) {
        overlap(t, e.words[String(t.id)]!);
        continue;
      }
      assertWords(t.id, t.words, e.words[String(t.id)]!, 1e-9, `mmr ${e.diversity}`);
      same++;
    }
  }
  for (const e of expected.keybert) {
    for (const t of await run({ method: 'keybert', nrReprDocs: e.nr_repr_docs, nrCandidateWords: e.nr_candidate_words })) {
      const ours = topWordsOfRow(terms.scores, terms.vocabulary, topicRowOf(terms, t.id), e.nr_candidate_words).map((w) => w.word).sort();
      if (ours.join(' ') !== [...e.candidates[String(t.id)]!].sort().join(' ')) {
        overlap(t, e.words[String(t.id)]!);
        continue;
      }
      assertWords(t.id, t.words, e.words[String(t.id)]!, 1e-6, `keybert ${e.nr_repr_docs}`);
      same++;
    }
  }
  const mean = shared.reduce((a, b) => a + b, 0) / shared.length;
  console.log(`describe stage: ${same} of ${same + shared.length} topic representations with BERTopic's candidates, all equal; the others share ${mean.toFixed(2)} of 10 words (least ${Math.min(...shared)})`);
  assert.ok(same >= 60, `only ${same} topics with BERTopic's candidates`);
  assert.ok(mean >= 8, `the others share ${mean} of 10 words`);
});
