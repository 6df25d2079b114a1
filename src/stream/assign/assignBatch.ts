/**
 * A batch's new documents embedded in one call and assigned one by one (the processor's assignment
 * rule: k-NN vote or centroids, then outlier reduction). An assignment too large to send rejects its
 * input (output_too_large) instead of blocking the partition.
 */
import type { Doc, Embedder } from '../../core/types.js';
import type { Rejection } from '../../io/validate.js';
import type { OutMessage, RawRecord } from '../types.js';
import type { Assignment } from './knnAssigner.js';
import { assignmentMessage } from '../messages.js';
import { fitsOutput } from '../outputLimits.js';

export type Accepted = { doc: Doc; vec: Float32Array; a: Assignment; rec: RawRecord };

export async function embedAndAssign(
  fresh: Array<{ doc: Doc; rec: RawRecord }>,
  deps: { embedder: Pick<Embedder, 'embed'>; assign: (vec: Float32Array) => Assignment; modelVersion: number; maxOutputBytes: number },
  assignments: OutMessage[],
  rejected: Array<{ rec: RawRecord; rejection: Rejection }>,
): Promise<{ accepted: Accepted[]; embed?: { seconds: number; docs: number } }> {
  const accepted: Accepted[] = [];
  if (!fresh.length) return { accepted };
  const limit = deps.maxOutputBytes;
  const t0 = performance.now();
  const emb = await deps.embedder.embed(fresh.map((f) => f.doc.text));
  const embed = { seconds: (performance.now() - t0) / 1000, docs: fresh.length };
  for (let i = 0; i < fresh.length; i++) {
    const { doc, rec } = fresh[i]!;
    const vec = emb.data.subarray(i * emb.cols, (i + 1) * emb.cols);
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
