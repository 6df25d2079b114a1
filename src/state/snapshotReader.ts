/**
 * Reads and verifies one snapshot folder. Every check that can fail on damaged bytes (missing file,
 * length, checksum, JSON, row counts) throws CorruptSnapshotError; a sound snapshot made for another
 * embedding model or dimension, or by a newer release, throws SnapshotMismatchError.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TopicRegistry } from '../stream/topicRegistry.js';
import type { WindowDoc } from '../stream/window/windowStore.js';
import { CorruptSnapshotError, SnapshotMismatchError } from './errors.js';
import { DATA_FILES, DOCS_FILE, MANIFEST_FILE, STATE_FILE, STATE_FORMAT, STATE_FORMAT_V1, VECTORS_FILE, fromPlain, type LoadedState, type StateFile } from './format.js';
import { parseManifest, verifyFile } from './manifest.js';

export interface Expectation {
  dim: number;
  modelId: string;
}

/** A file's bytes; a missing file is corruption, any other read error (permissions, I/O) is thrown as is. */
function readBytes(dir: string, name: string): Buffer {
  try {
    return readFileSync(path.join(dir, name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CorruptSnapshotError(dir, 'missing_file', `${name} is missing`);
    throw e;
  }
}

function parseJson<T>(dir: string, name: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new CorruptSnapshotError(dir, 'bad_json', `${name} is not valid JSON (${(e as Error).message})`);
  }
}

/** The data files' bytes, verified against the manifest (format 2) or as they are (format 1). */
function readVerified(dir: string): { files: Map<string, Buffer>; format: string } {
  let manifestBytes: Buffer | undefined;
  try {
    manifestBytes = readBytes(dir, MANIFEST_FILE);
  } catch (e) {
    if (!(e instanceof CorruptSnapshotError)) throw e;
  }
  const files = new Map<string, Buffer>();
  if (!manifestBytes) {
    // format 1 had no manifest; anything newer without one is incomplete
    const state = readBytes(dir, STATE_FILE);
    const format = parseJson<{ format?: unknown }>(dir, STATE_FILE, state.toString('utf8')).format;
    if (format !== STATE_FORMAT_V1) throw new CorruptSnapshotError(dir, 'missing_file', `${MANIFEST_FILE} is missing`);
    files.set(STATE_FILE, state);
    for (const f of [DOCS_FILE, VECTORS_FILE]) files.set(f, readBytes(dir, f));
    return { files, format: STATE_FORMAT_V1 };
  }
  const manifest = parseManifest(dir, manifestBytes.toString('utf8'));
  if (manifest.state_format !== STATE_FORMAT) {
    throw new SnapshotMismatchError(`the snapshot in ${dir} has format ${manifest.state_format}; this release reads ${STATE_FORMAT} and ${STATE_FORMAT_V1}. Use the release that wrote it, or move it away`);
  }
  for (const f of DATA_FILES) {
    const data = readBytes(dir, f);
    verifyFile(dir, f, data, manifest.files[f]!);
    files.set(f, data);
  }
  return { files, format: STATE_FORMAT };
}

function checkStateFile(dir: string, f: StateFile, format: string): void {
  if (f.format !== format) throw new CorruptSnapshotError(dir, 'bad_content', `${STATE_FILE} has format ${String(f.format)}, expected ${format}`);
  const ints = [f.dim, f.n_docs, f.model_version, f.next_topic_id];
  if (!ints.every((x) => Number.isInteger(x) && x >= 0) || f.dim === 0) throw new CorruptSnapshotError(dir, 'bad_content', `${STATE_FILE}: dim, n_docs, model_version or next_topic_id is not a valid count`);
  if (!Array.isArray(f.topics) || typeof f.offsets !== 'object' || f.offsets === null || typeof f.source !== 'string') {
    throw new CorruptSnapshotError(dir, 'bad_content', `${STATE_FILE}: topics, offsets or source is missing`);
  }
}

function parseDocs(dir: string, data: Buffer, expected: number): WindowDoc[] {
  const lines = data.toString('utf8').split('\n');
  if (lines.at(-1) !== '') throw new CorruptSnapshotError(dir, 'truncated', `${DOCS_FILE} does not end with a newline`);
  lines.pop();
  if (lines.length !== expected) throw new CorruptSnapshotError(dir, 'row_count', `${DOCS_FILE} holds ${lines.length} documents, ${STATE_FILE} says ${expected}`);
  return lines.map((l, i) => {
    const d = parseJson<WindowDoc>(dir, `${DOCS_FILE} line ${i + 1}`, l);
    if (typeof d !== 'object' || d === null || !Number.isInteger(d.seq) || typeof d.id !== 'string' || typeof d.text !== 'string' || !Number.isInteger(d.topic) || typeof d.offset !== 'string') {
      throw new CorruptSnapshotError(dir, 'bad_content', `${DOCS_FILE} line ${i + 1} is not a window document`);
    }
    return d;
  });
}

function toFloat32(dir: string, data: Buffer, rows: number, dim: number): Float32Array {
  if (data.length !== rows * dim * 4) {
    throw new CorruptSnapshotError(dir, 'row_count', `${VECTORS_FILE} has ${data.length} bytes, ${rows} documents × ${dim} float32 need ${rows * dim * 4}`);
  }
  const out = new Float32Array(rows * dim); // a copy: the Buffer's offset may not be 4-byte aligned
  new Uint8Array(out.buffer).set(data);
  return out;
}

/** Reads the snapshot in `dir` (current/ or previous/), verifying everything before anything is used. */
export function readSnapshot(dir: string, from: LoadedState['from'], expect: Expectation): LoadedState {
  const { files, format } = readVerified(dir);
  const f = parseJson<StateFile>(dir, STATE_FILE, files.get(STATE_FILE)!.toString('utf8'));
  checkStateFile(dir, f, format);
  if (f.dim !== expect.dim || f.model_id !== expect.modelId) {
    throw new SnapshotMismatchError(`the snapshot in ${dir} was made with ${f.model_id} (${f.dim}-d), not ${expect.modelId} (${expect.dim}-d); move it away or use another state.dir`);
  }
  const docs = parseDocs(dir, files.get(DOCS_FILE)!, f.n_docs);
  const vectors = toFloat32(dir, files.get(VECTORS_FILE)!, f.n_docs, f.dim);
  return {
    docs,
    vectors,
    dim: f.dim,
    topics: f.topics,
    state: { modelVersion: f.model_version, nextTopicId: f.next_topic_id, prior: f.prior ? fromPlain(f.prior) : undefined, centroids: f.centroids ?? {}, offsets: f.offsets },
    source: f.source,
    savedAt: f.saved_at,
    format,
    from,
  };
}

/** Verifies a snapshot's files against its manifest without interpreting them (before rotating it into previous/). */
export function verifySnapshotFiles(dir: string): void {
  readVerified(dir);
}
