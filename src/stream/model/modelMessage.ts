/**
 * The model as published on the compacted models topic after each refit: every active topic with
 * its centroid (in embedding space), words and size. Follower instances assign with it, so a group
 * of instances shares one model and one set of topic ids.
 */
import type { OutMessage } from '../types.js';
import type { TopicWord } from '../../model/topic.js';

export const MODEL_KEY = 'model';

export interface PublishedTopic {
  id: number;
  label: string;
  size: number;
  words: TopicWord[];
  parent: number | null;
  born_version: number;
  /** a zero-shot topic's name (topics.zeroShot): followers and a new owner keep the name on this id */
  name?: string;
  /** L2-normalised centroid, float32 little-endian, base64 */
  centroid: string;
}

export interface PublishedModel {
  model_version: number;
  model_id: string;
  dim: number;
  at: string;
  topics: PublishedTopic[];
}

export function encodeCentroid(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeCentroid(s: string, dim: number): Float32Array {
  const b = Buffer.from(s, 'base64');
  if (b.length !== dim * 4) throw new Error(`centroid has ${b.length / 4} values, expected ${dim}`);
  const out = new Float32Array(dim);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function modelMessage(m: PublishedModel): OutMessage {
  return { key: MODEL_KEY, value: JSON.stringify(m) };
}

export function parseModelMessage(value: Buffer | string): PublishedModel {
  const m = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as PublishedModel;
  if (!Number.isInteger(m.model_version) || !Array.isArray(m.topics) || !Number.isInteger(m.dim)) throw new Error('not a topicstream model message');
  return m;
}
