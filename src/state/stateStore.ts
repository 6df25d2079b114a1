/**
 * Snapshots of the service's state: the window (documents, embeddings, topics), the topic registry,
 * the carried c-TF-IDF counts and the offsets the window reaches. Written to a fresh folder and
 * renamed into place, so a crash mid-write leaves the previous snapshot intact. A restarted service
 * loads it and re-reads its input only after those offsets: no re-embedding of the window.
 */
import { mkdirSync, writeFileSync, readFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeTyped, readFloat32 } from '../model/binary.js';
import type { StreamProcessor } from '../stream/processor.js';
import { TopicRegistry, type TopicState } from '../stream/topicRegistry.js';
import type { TopicTermCounts } from '../stream/refit/types.js';
import type { WindowDoc } from '../stream/window/windowStore.js';

export const STATE_FORMAT = 'topicstream-state/1';

interface StateFile {
  format: string;
  saved_at: string;
  dim: number;
  n_docs: number;
  model_id: string;
  model_version: number;
  next_topic_id: number;
  offsets: Record<string, string>;
  source: string;
  topics: TopicState[];
  prior?: PlainCounts;
  centroids?: Record<string, number[]>;
}

export interface LoadedState {
  docs: WindowDoc[];
  vectors: Float32Array;
  registry: TopicRegistry;
  modelVersion: number;
  prior?: TopicTermCounts;
  centroids?: Record<string, number[]>;
  offsets: Record<string, string>;
  source: string;
  savedAt: string;
}

export class StateStore {
  constructor(readonly dir: string) {}

  private get current(): string {
    return path.join(this.dir, 'current');
  }

  exists(): boolean {
    return existsSync(path.join(this.current, 'state.json'));
  }

  save(p: StreamProcessor, modelId: string, source: string): { docs: number; path: string } {
    mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `tmp-${process.pid}-${Date.now()}`);
    mkdirSync(tmp);
    const view = p.window.view();
    writeTyped(path.join(tmp, 'vectors.f32'), view.embeddings);
    writeFileSync(path.join(tmp, 'docs.jsonl'), view.docs.map((d) => JSON.stringify(d)).join('\n') + (view.docs.length ? '\n' : ''));
    const st = p.exportState();
    const file: StateFile = {
      format: STATE_FORMAT,
      saved_at: new Date().toISOString(),
      dim: p.window.dim,
      n_docs: view.docs.length,
      model_id: modelId,
      model_version: st.modelVersion,
      next_topic_id: st.nextTopicId,
      offsets: st.offsets,
      source,
      topics: p.registry.all(),
      prior: st.prior ? toPlain(st.prior) : undefined,
      centroids: st.centroids,
    };
    writeFileSync(path.join(tmp, 'state.json'), JSON.stringify(file));
    const old = path.join(this.dir, 'previous');
    rmSync(old, { recursive: true, force: true });
    if (existsSync(this.current)) renameSync(this.current, old);
    renameSync(tmp, this.current);
    rmSync(old, { recursive: true, force: true });
    return { docs: view.docs.length, path: this.current };
  }

  load(expectDim: number, expectModel: string): LoadedState {
    const dir = existsSync(path.join(this.current, 'state.json')) ? this.current : path.join(this.dir, 'previous');
    const f = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as StateFile;
    if (f.format !== STATE_FORMAT) throw new Error(`${dir}/state.json: unknown format ${f.format}`);
    if (f.dim !== expectDim || f.model_id !== expectModel) {
      throw new Error(`the snapshot in ${dir} was made with ${f.model_id} (${f.dim}-d), not ${expectModel} (${expectDim}-d); move it away or use another state.dir`);
    }
    const docs = readFileSync(path.join(dir, 'docs.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as WindowDoc);
    const vectors = readFloat32(path.join(dir, 'vectors.f32'));
    if (vectors.length !== docs.length * f.dim) throw new Error(`${dir}: vectors.f32 holds ${vectors.length / f.dim} rows for ${docs.length} documents`);
    return {
      docs,
      vectors,
      registry: TopicRegistry.fromJSON(f.topics, f.next_topic_id),
      modelVersion: f.model_version,
      prior: f.prior ? fromPlain(f.prior) : undefined,
      centroids: f.centroids,
      offsets: f.offsets,
      source: f.source,
      savedAt: f.saved_at,
    };
  }
}

/** The carried c-TF-IDF counts in JSON form (typed arrays as plain arrays). */
interface PlainCounts {
  topicIds: number[];
  vocabulary: string[];
  rows: number;
  cols: number;
  indptr: number[];
  indices: number[];
  data: number[];
}

function toPlain(c: TopicTermCounts): PlainCounts {
  const m = c.counts;
  return { topicIds: Array.from(c.topicIds), vocabulary: [...c.vocabulary], rows: m.rows, cols: m.cols, indptr: Array.from(m.indptr), indices: Array.from(m.indices), data: Array.from(m.data) };
}

function fromPlain(p: PlainCounts): TopicTermCounts {
  return {
    topicIds: Int32Array.from(p.topicIds),
    vocabulary: p.vocabulary,
    counts: { rows: p.rows, cols: p.cols, indptr: Int32Array.from(p.indptr), indices: Int32Array.from(p.indices), data: Float64Array.from(p.data) },
  };
}
