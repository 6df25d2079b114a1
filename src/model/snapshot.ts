/**
 * A reloadable fitted model: documents, their embeddings and reduced coordinates, labels and
 * probabilities, and the topics. `fit` writes it under DIR/model; `eval` and the service read it.
 */
import { mkdirSync, writeFileSync, readFileSync, existsSync, createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { createMatrix, type Doc, type Matrix } from '../core/types.js';
import { writeTyped, readFloat32, readInt32 } from './binary.js';
import type { Topic } from './topic.js';
import type { SerializedHdbscanModel } from '../cluster/serialize.js';

export const SNAPSHOT_FORMAT = 'topicstream-model';
export const SNAPSHOT_VERSION = 1;

export interface ModelSnapshot {
  modelId: string;
  modelVersion: number;
  createdAt: string;
  config: unknown;
  docs: Doc[];
  embeddings: Matrix;
  reduced: Matrix | null;
  labels: Int32Array;
  probabilities: Float32Array;
  topics: Topic[];
  /** the fitted HDBSCAN model over `reduced` (for `predict`); null when the fit kept none */
  clusterer?: SerializedHdbscanModel | null;
  /** the topic of each HDBSCAN cluster (by the model's own labels), after topic reduction */
  clusterTopics?: Int32Array | null;
}

interface Manifest {
  format: string;
  version: number;
  model_id: string;
  model_version: number;
  created_at: string;
  n_docs: number;
  dim: number;
  reduced_dim: number;
  config: unknown;
  topics: Topic[];
  /** HDBSCAN label -> topic; absent in snapshots written before predict existed */
  cluster_topics?: number[];
}

export async function writeModelSnapshot(dir: string, s: ModelSnapshot): Promise<void> {
  const mdir = path.join(dir, 'model');
  mkdirSync(mdir, { recursive: true });
  writeTyped(path.join(mdir, 'embeddings.f32'), s.embeddings.data);
  if (s.reduced) writeTyped(path.join(mdir, 'reduced.f32'), s.reduced.data);
  writeTyped(path.join(mdir, 'labels.i32'), s.labels);
  writeTyped(path.join(mdir, 'probabilities.f32'), s.probabilities);
  const hdbscanFile = path.join(mdir, 'hdbscan.json');
  if (s.clusterer) writeFileSync(hdbscanFile, JSON.stringify(s.clusterer) + '\n');
  else rmSync(hdbscanFile, { force: true });
  const out = createWriteStream(path.join(mdir, 'docs.jsonl'));
  for (const d of s.docs) {
    // the fields a model needs; other input fields (metadata) stay in the input file
    const line = JSON.stringify({ id: d.id, text: d.text, ts: d.ts, label: d.label }) + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const manifest: Manifest = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    model_id: s.modelId,
    model_version: s.modelVersion,
    created_at: s.createdAt,
    n_docs: s.docs.length,
    dim: s.embeddings.cols,
    reduced_dim: s.reduced?.cols ?? 0,
    config: s.config,
    topics: s.topics,
    ...(s.clusterer && s.clusterTopics ? { cluster_topics: Array.from(s.clusterTopics) } : {}),
  };
  // the manifest last: its presence marks a complete snapshot
  writeFileSync(path.join(mdir, 'manifest.json'), JSON.stringify(manifest) + '\n');
}

export function hasModelSnapshot(dir: string): boolean {
  return existsSync(path.join(dir, 'model', 'manifest.json'));
}

export function readModelSnapshot(dir: string): ModelSnapshot {
  const mdir = path.join(dir, 'model');
  const mf = path.join(mdir, 'manifest.json');
  if (!existsSync(mf)) throw new Error(`no model snapshot in ${dir} (expected ${mf}); run \`topicstream fit ... --out ${dir}\` first`);
  const m = JSON.parse(readFileSync(mf, 'utf8')) as Manifest;
  if (m.format !== SNAPSHOT_FORMAT || m.version > SNAPSHOT_VERSION) {
    throw new Error(`${mf}: unsupported snapshot (format ${m.format} v${m.version}; this build reads ${SNAPSHOT_FORMAT} v${SNAPSHOT_VERSION})`);
  }
  const docs = readFileSync(path.join(mdir, 'docs.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Doc);
  const emb = readFloat32(path.join(mdir, 'embeddings.f32'));
  const reducedFile = path.join(mdir, 'reduced.f32');
  const hdbscanFile = path.join(mdir, 'hdbscan.json');
  const reduced = m.reduced_dim > 0 && existsSync(reducedFile) ? createMatrix(m.n_docs, m.reduced_dim, readFloat32(reducedFile)) : null;
  return {
    modelId: m.model_id,
    modelVersion: m.model_version,
    createdAt: m.created_at,
    config: m.config,
    docs,
    embeddings: createMatrix(m.n_docs, m.dim, emb),
    reduced,
    labels: readInt32(path.join(mdir, 'labels.i32')),
    probabilities: readFloat32(path.join(mdir, 'probabilities.f32')),
    topics: m.topics,
    clusterer: existsSync(hdbscanFile) && m.cluster_topics ? (JSON.parse(readFileSync(hdbscanFile, 'utf8')) as SerializedHdbscanModel) : null,
    clusterTopics: m.cluster_topics ? Int32Array.from(m.cluster_topics) : null,
  };
}
