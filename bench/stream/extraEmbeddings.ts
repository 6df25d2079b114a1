// Real embeddings beyond the tweets (the tweet file holds 42.5k): the documents and embeddings of a
// saved `topicstream fit` model folder (docs.jsonl, embeddings.f32), e.g. 20 Newsgroups'.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readFloat32 } from '../../src/model/binary.js';

export function extraEmbeddings(modelDir: string): { n: number; texts: string[]; vectors: Float32Array } {
  const texts = readFileSync(path.join(modelDir, 'docs.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const vectors = readFloat32(path.join(modelDir, 'embeddings.f32'));
  if (vectors.length % texts.length !== 0) throw new Error(`${modelDir}: ${vectors.length} floats for ${texts.length} documents`);
  return { n: texts.length, texts, vectors };
}
