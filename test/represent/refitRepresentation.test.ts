/**
 * The service's representation per refit: the refit worker's describe job (runDescribeJob) plus
 * the main thread's word step (representRefit) give the words `fit` gives (describeTopicsWith) on
 * the same documents and topics, for MMR and KeyBERT-inspired. Word vectors: our embedder's,
 * exported for the fixture (test/fixtures/toolbox), the live model for any other string.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Embedder, Matrix } from '../../src/core/types.js';
import { readDocs } from '../../src/io/readDocs.js';
import { readNpy } from '../../src/model/npy.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';
import { describeTopicsWith } from '../../src/pipeline/describeTopics.js';
import { runDescribeJob } from '../../src/stream/refit/refitJobs.js';
import { representRefit, wordVectorsOf } from '../../src/stream/refit/refitRepresentation.js';
import { FIXTURES } from '../helpers/paths.js';

const DIR = path.join(FIXTURES, 'toolbox');
const labels = Int32Array.from((JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { base_topics: number[] }).base_topics);
const embeddings = readNpy(path.join(DIR, 'embeddings.npy'));
const strings = JSON.parse(readFileSync(path.join(DIR, 'word_strings.json'), 'utf8')) as string[];
const wordMatrix = readNpy(path.join(DIR, 'word_embeddings.npy'));
const base = loadConfig({ env: {} });
const docs = (await readDocs(path.join(DIR, 'docs.jsonl.gz'), { ...base.input })).docs;
const texts = docs.map((d) => d.text);

let live: Embedder | null = null;
after(async () => live?.close());
const row = new Map(strings.map((s, i) => [s, i]));
const asked: string[] = [];
const embedder: Pick<Embedder, 'embed'> = {
  embed: async (batch: readonly string[]): Promise<Matrix> => {
    asked.push(...batch);
    const cols = wordMatrix.cols;
    const unknown = batch.filter((t) => !row.has(t));
    const m = unknown.length > 0 ? await (live ??= await createEmbedderFromConfig(base)).embed(unknown) : null;
    const data = new Float32Array(batch.length * cols);
    batch.forEach((t, i) => {
      const r = row.get(t);
      const k = unknown.indexOf(t);
      data.set(r !== undefined ? wordMatrix.data.subarray(r * cols, (r + 1) * cols) : m!.data.subarray(k * cols, (k + 1) * cols), i * cols);
    });
    return { rows: batch.length, cols, data };
  },
};

/** The service's words with stream.vectorizer set to nothing, so its vectorizer is fit's. */
function configWith(r: Partial<Config['representation']>): Config {
  return { ...base, representation: { ...base.representation, ...r }, stream: { ...base.stream, vectorizer: { ...base.stream.vectorizer, ...base.vectorizer } } };
}

for (const r of [{ method: 'mmr' as const, diversity: 0.3 }, { method: 'keybert' as const, nrReprDocs: 5, nrCandidateWords: 30 }]) {
  test(`refit words by ${r.method}: the worker's describe job and the main thread's word step give fit's words`, async () => {
    const config = configWith(r);
    const described = runDescribeJob(config, { texts, topics: labels, decay: 0, seed: config.seed });
    assert.equal(described.keybert !== undefined, r.method === 'keybert');
    const ours = await representRefit(config, described, { embeddings: embeddings.data, dim: embeddings.cols }, wordVectorsOf(embedder));
    const fit = await describeTopicsWith(docs, labels, embeddings, config, async () => embedder);
    assert.deepEqual(Object.keys(ours.words).sort(), fit.map((t) => String(t.id)).sort());
    for (const t of fit) assert.deepEqual(ours.words[String(t.id)], t.words, `topic ${t.id}`);
  });
}

test('refit words: c-TF-IDF leaves the job\'s result as it is; word vectors are cached across refits', async () => {
  const config = configWith({ method: 'ctfidf' });
  const described = runDescribeJob(config, { texts, topics: labels, decay: 0, seed: config.seed });
  assert.equal(await representRefit(config, described, { embeddings: embeddings.data, dim: embeddings.cols }, wordVectorsOf(embedder)), described);
  const mmr = configWith({ method: 'mmr' });
  const again = runDescribeJob(mmr, { texts, topics: labels, decay: 0, seed: mmr.seed });
  asked.length = 0;
  await representRefit(mmr, again, { embeddings: embeddings.data, dim: embeddings.cols }, wordVectorsOf(embedder));
  assert.equal(asked.length, 0, 'the MMR test embedded these words already');
});
