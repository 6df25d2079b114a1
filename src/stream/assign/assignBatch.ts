/**
 * A batch's new documents embedded in one call and assigned one by one (the processor's assignment
 * rule: k-NN vote or centroids, then outlier reduction). An assignment too large to send rejects its
 * input (output_too_large) instead of blocking the partition.
 *
 * Embedding needs no window state, so the processor embeds a batch ahead (`embedAhead`, outside its
 * lock) while the batch before it is assigned and sent; `embedAndAssign` then embeds only what was
 * not embedded ahead (a document the window evicted between the two looks; docs/design.md, "The data path").
 */
import type { Doc, Embedder } from '../../core/types.js';
import type { Rejection } from '../../io/validate.js';
import type { OutMessage, RawRecord } from '../types.js';
import type { Assignment } from './knnAssigner.js';
import { assignmentMessage } from '../messages.js';
import { fitsOutput } from '../outputLimits.js';

export type Accepted = { doc: Doc; vec: Float32Array; a: Assignment; rec: RawRecord };

/** Vectors of a batch's records embedded ahead of its turn, and the time that took. */
export interface Ahead {
  vectors: Map<RawRecord, Float32Array>;
  seconds: number;
}

type Fresh = Array<{ doc: Doc; rec: RawRecord }>;

/** Embeds the texts of `fresh` in one call; the rows keyed by record. */
export async function embedAhead(fresh: Fresh, embedder: Pick<Embedder, 'embed'>): Promise<Ahead> {
  const vectors = new Map<RawRecord, Float32Array>();
  if (!fresh.length) return { vectors, seconds: 0 };
  const t0 = performance.now();
  const emb = await embedder.embed(fresh.map((f) => f.doc.text));
  for (let i = 0; i < fresh.length; i++) vectors.set(fresh[i]!.rec, emb.data.subarray(i * emb.cols, (i + 1) * emb.cols));
  return { vectors, seconds: (performance.now() - t0) / 1000 };
}

export async function embedAndAssign(
  fresh: Fresh,
  deps: { embedder: Pick<Embedder, 'embed'>; assign: (vec: Float32Array) => Assignment; modelVersion: number; maxOutputBytes: number; ahead?: Ahead },
  assignments: OutMessage[],
  rejected: Array<{ rec: RawRecord; rejection: Rejection }>,
): Promise<{ accepted: Accepted[]; embed?: { seconds: number; docs: number } }> {
  const accepted: Accepted[] = [];
  if (!fresh.length) return { accepted };
  const limit = deps.maxOutputBytes;
  const missing = deps.ahead ? fresh.filter((f) => !deps.ahead!.vectors.has(f.rec)) : fresh;
  const late = await embedAhead(missing, deps.embedder);
  const embed = { seconds: (deps.ahead?.seconds ?? 0) + late.seconds, docs: fresh.length };
  for (const { doc, rec } of fresh) {
    const vec = deps.ahead?.vectors.get(rec) ?? late.vectors.get(rec)!;
    const a = deps.assign(vec);
    const msg = assignmentMessage(doc.id, a.topic, a.probability, deps.modelVersion, 'knn');
    if (!fitsOutput(msg, limit)) {
      rejected.push({ rec, rejection: { reason: 'output_too_large', message: `its assignment would be ${Buffer.byteLength(msg.value)} bytes; the output limit is ${limit} (kafka.maxOutputBytes)` } });
      continue;
    }
    accepted.push({ doc, vec, a, rec });
    assignments.push(msg);
  }
  return { accepted, embed };
}
