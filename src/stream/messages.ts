/** The payloads the service publishes (docs/design.md, "Message formats"): built in one place so every sink agrees. */
import { roundTo } from '../core/round.js';
import type { OutMessage } from './types.js';
import type { RawRecord } from './types.js';
import type { Rejection } from '../io/validate.js';
import type { TopicWord } from '../model/topic.js';

export type AssignMethod = 'knn' | 'refit';

/** The value of a topic-assignments message. */
export interface AssignmentPayload {
  doc_id: string;
  topic_id: number;
  probability: number;
  model_version: number;
  method: AssignMethod;
  assigned_at: string;
}

export function assignmentMessage(docId: string, topicId: number, probability: number, modelVersion: number, method: AssignMethod, at = new Date()): OutMessage {
  const payload: AssignmentPayload = { doc_id: docId, topic_id: topicId, probability: roundTo(probability, 6), model_version: modelVersion, method, assigned_at: at.toISOString() };
  return { key: docId, value: JSON.stringify(payload) };
}

export type TopicStatus = 'active' | 'retired';

export interface TopicUpdate {
  topic_id: number;
  status: TopicStatus;
  /** the label shown: the user's label when one is set, else the automatic one */
  label: string;
  /** the user's label (API or config), null when the automatic label is shown */
  custom_label?: string | null;
  size: number;
  words: TopicWord[];
  representative_doc_ids: string[];
  representative_docs: string[];
  window: { start: string | null; end: string | null; docs: number };
  model_version: number;
  parent?: number | null;
  born_version?: number;
  updated_at: string;
}

export function topicUpdateMessage(u: TopicUpdate): OutMessage {
  return { key: String(u.topic_id), value: JSON.stringify({ ...u, words: u.words.map((w) => ({ word: w.word, score: roundTo(w.score, 6) })) }) };
}

/** What a topic-updates message says about one topic of the registry. */
export interface TopicStateView {
  id: number;
  status: TopicStatus;
  label: string;
  customLabel?: string;
  size: number;
  words: TopicWord[];
  representativeDocIds: string[];
  representativeDocs: string[];
  parent: number | null;
  bornVersion: number;
}

export interface TopicUpdateContext {
  window: TopicUpdate['window'];
  modelVersion: number;
  topNWords: number;
  at: string;
}

/** The window part of a topic update, from the window's bounds (epoch ms) and size. */
export function windowInfo(bounds: { start: number; end: number } | undefined, docs: number): TopicUpdate['window'] {
  return { start: bounds ? new Date(bounds.start).toISOString() : null, end: bounds ? new Date(bounds.end).toISOString() : null, docs };
}

/** The topic-updates message of one registry topic. */
export function topicStateMessage(t: TopicStateView, c: TopicUpdateContext): OutMessage {
  return topicUpdateMessage({
    topic_id: t.id,
    status: t.status,
    label: t.label,
    custom_label: t.customLabel ?? null,
    size: t.size,
    words: t.words.slice(0, c.topNWords),
    representative_doc_ids: t.representativeDocIds,
    representative_docs: t.representativeDocs,
    window: c.window,
    model_version: c.modelVersion,
    parent: t.parent,
    born_version: t.bornVersion,
    updated_at: c.at,
  });
}

export type TopicEventType = 'born' | 'died' | 'merged' | 'split' | 'continued';

export interface TopicEvent {
  type: TopicEventType;
  topic_id: number;
  related: number[];
  model_version: number;
  at: string;
  /** e.g. jaccard overlap, share of documents that moved */
  details?: Record<string, number | string>;
  /** the topic's label when the event happened (a dead or merged topic keeps its last one) */
  label?: string;
  /** the labels of `related`, in the same order */
  related_labels?: string[];
}

export function topicEventMessage(e: TopicEvent): OutMessage {
  return { key: String(e.topic_id), value: JSON.stringify(e) };
}

export type TrendSignalType = 'weak' | 'strong' | 'fading';

/**
 * An `emerging` or `fading` event on topic-events (docs/design.md, "Emerging topics"): a topic, or
 * a forming topic (topic_id -1 with a forming_id) that no refit has made a topic yet.
 */
export interface TrendEvent {
  type: 'emerging' | 'fading';
  topic_id: number;
  forming_id?: number;
  related: number[];
  model_version: number;
  at: string;
  /** from `words` (a topic: the words of its newest documents, what grows) */
  label: string;
  /** a topic: its label as the topic list shows it (from the last refit's words) */
  topic_label?: string;
  words: string[];
  /** a topic: its share of the newest documents / its share of the longer past; a forming topic: its share of the documents since its first one */
  growth: number;
  signal: TrendSignalType;
  /** a topic: its documents among the newest (decayed) */
  popularity?: number;
  /** a forming topic: its documents */
  size?: number;
  sample_docs: Array<{ id: string; text: string }>;
  /** the newest document when the event was made */
  last_doc_id: string | null;
}

export function trendEventMessage(e: TrendEvent): OutMessage {
  return { key: e.forming_id !== undefined ? `forming-${e.forming_id}` : String(e.topic_id), value: JSON.stringify(e) };
}

/** A topic at one refit (or adopted model): what /api/topics/:id/history and the topic-history stream carry. */
export interface TopicHistoryPoint {
  model_version: number;
  at: string;
  size: number;
  words: string[];
}

/** The value of a topic-history message: one topic at one refit (keyed by topic id; the topic is not compacted). */
export interface TopicHistoryPayload extends TopicHistoryPoint {
  topic_id: number;
  label: string;
}

export function topicHistoryMessage(topicId: number, label: string, point: TopicHistoryPoint): OutMessage {
  const payload: TopicHistoryPayload = { topic_id: topicId, label, ...point };
  return { key: String(topicId), value: JSON.stringify(payload) };
}

/** The value of a posts-dlq message: the raw record (text, or base64 when not UTF-8), where it came from, and why. */
export interface DlqPayload {
  reason: string;
  message: string;
  source_topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  value_base64: string | null;
  value_bytes: number;
  truncated: boolean;
  rejected_at: string;
}

/** Input keys are copied into DLQ records up to this many characters (the key of a poison record may be huge). */
const DLQ_MAX_KEY_CHARS = 1024;
/** DLQ records keep at most this much of the input value. */
const DLQ_MAX_VALUE_BYTES = 65_536;

export function dlqMessage(rec: RawRecord, rejection: Rejection, at = new Date()): OutMessage {
  const value = rec.value;
  let text: string | null = null;
  let base64: string | null = null;
  if (value) {
    const s = value.toString('utf8');
    // keep the raw bytes exactly when they are not valid UTF-8 (round-trip check), and cap the size
    if (Buffer.from(s, 'utf8').equals(value)) text = s.length > DLQ_MAX_VALUE_BYTES ? s.slice(0, DLQ_MAX_VALUE_BYTES) : s;
    else base64 = value.subarray(0, DLQ_MAX_VALUE_BYTES).toString('base64');
  }
  const fullKey = rec.key ? rec.key.toString('utf8') : null;
  const key = fullKey !== null && fullKey.length > DLQ_MAX_KEY_CHARS ? fullKey.slice(0, DLQ_MAX_KEY_CHARS) : fullKey;
  const payload: DlqPayload = {
    reason: rejection.reason,
    message: rejection.message.length > 2000 ? rejection.message.slice(0, 2000) + "…" : rejection.message,
    source_topic: rec.topic,
    partition: rec.partition,
    offset: rec.offset,
    key,
    value: text,
    value_base64: base64,
    value_bytes: value?.length ?? 0,
    truncated: (value?.length ?? 0) > DLQ_MAX_VALUE_BYTES || key !== fullKey,
    rejected_at: at.toISOString(),
  };
  return { key, value: JSON.stringify(payload), headers: { reason: rejection.reason } };
}

/**
 * The value of a post-embeddings message (role elected, docs/scaling.md): a post as the instance
 * that consumed it embedded and assigned it, for every instance's window (the owner refits on it).
 * `vector`: float32 little-endian, base64; `text`: the first stream.scaleOut.textChars characters.
 */
export interface PostEmbeddingPayload {
  id: string;
  text: string;
  ts: number;
  vector: string;
  topic_id: number;
  probability: number;
  model_version: number;
  /** the embedding model (embedding.model, ":q8" for int8): another model's vectors are not comparable */
  model_id: string;
}

export function postEmbeddingMessage(doc: { id: string; text: string; ts?: number }, vec: Float32Array, a: { topic: number; probability: number; modelVersion: number; modelId: string }, textChars: number): OutMessage {
  // never half a surrogate pair at the cut
  const cut = doc.text.length > textChars ? textChars - (/[\ud800-\udbff]/.test(doc.text[textChars - 1] ?? '') ? 1 : 0) : doc.text.length;
  const payload: PostEmbeddingPayload = {
    id: doc.id,
    text: doc.text.slice(0, cut),
    ts: doc.ts ?? Date.now(),
    vector: Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength).toString('base64'),
    topic_id: a.topic,
    probability: roundTo(a.probability, 6),
    model_version: a.modelVersion,
    model_id: a.modelId,
  };
  return { key: doc.id, value: JSON.stringify(payload) };
}

/** Whether a post goes to the shared window at stream.scaleOut.windowSample `share` (FNV-1a of its id: the same answer on every instance). */
export function inWindowSample(id: string, share: number): boolean {
  if (share >= 1) return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32 < share;
}

/** A post-embeddings message read back; throws on anything else (another dimension or embedding model included). */
export function parsePostEmbedding(value: Buffer, dim: number, modelId: string): { payload: PostEmbeddingPayload; vector: Float32Array } {
  const p = JSON.parse(value.toString('utf8')) as PostEmbeddingPayload;
  if (typeof p.id !== 'string' || typeof p.text !== 'string' || typeof p.vector !== 'string' || !Number.isFinite(p.ts) || !Number.isInteger(p.topic_id) || !Number.isFinite(p.probability)) throw new Error('not a post-embeddings message');
  if (p.model_id !== modelId) throw new Error(`embedded with ${String(p.model_id)}, this service embeds with ${modelId}`);
  const b = Buffer.from(p.vector, 'base64');
  if (b.length !== dim * 4) throw new Error(`the embedding has ${b.length / 4} values, this service's ${dim}`);
  const vector = new Float32Array(dim);
  new Uint8Array(vector.buffer).set(b);
  return { payload: p, vector };
}
