/** Writes the files of one snapshot into an empty folder: data files first, each fsynced, then the manifest. */
import path from 'node:path';
import type { ProcessorSnapshot } from '../stream/snapshotTypes.js';
import { fsyncDir, writeFileDurable } from './durableFs.js';
import { DOCS_FILE, MANIFEST_FILE, STATE_FILE, STATE_FORMAT, VECTORS_FILE, toPlain, type StateFile } from './format.js';
import { buildManifest } from './manifest.js';

/** Everything a snapshot holds, serialised at one instant (so nothing changes while it is written). */
export function serializeSnapshot(p: ProcessorSnapshot, modelId: string, source: string): { docs: number; files: Array<[string, Uint8Array]> } {
  const view = { docs: p.docs, embeddings: p.vectors };
  const st = p.state;
  const file: StateFile = {
    format: STATE_FORMAT,
    saved_at: new Date().toISOString(),
    dim: p.dim,
    n_docs: view.docs.length,
    model_id: modelId,
    model_version: st.modelVersion,
    next_topic_id: st.nextTopicId,
    offsets: st.offsets,
    source,
    topics: p.topics,
    prior: st.prior ? toPlain(st.prior) : undefined,
    centroids: st.centroids,
  };
  const docs = Buffer.from(view.docs.map((d) => JSON.stringify(d) + '\n').join(''), 'utf8');
  const vectors = new Uint8Array(view.embeddings.buffer, view.embeddings.byteOffset, view.embeddings.byteLength);
  const state = Buffer.from(JSON.stringify(file), 'utf8');
  return { docs: view.docs.length, files: [[DOCS_FILE, docs], [VECTORS_FILE, vectors], [STATE_FILE, state]] };
}

/** Writes the serialised files and their manifest into `dir` (which must exist and be empty), durably. */
export function writeSnapshotFiles(dir: string, files: Array<[string, Uint8Array]>): void {
  for (const [name, data] of files) writeFileDurable(path.join(dir, name), data);
  const manifest = buildManifest(STATE_FORMAT, files);
  writeFileDurable(path.join(dir, MANIFEST_FILE), Buffer.from(JSON.stringify(manifest, null, 1), 'utf8'));
  fsyncDir(dir);
}
